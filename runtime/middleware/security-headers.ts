// Security headers for a JSON API, strict by default: no framing, no sniffing, no referrer, nothing
// loaded (/docs sets its own policy). helmet decides the values; as they never change per request,
// they are computed once and each response only copies them (a fraction of running helmet every time).
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { Middleware } from 'koa';

export interface SecurityHeadersOptions {
  /** Send Strict-Transport-Security (turn on when served over HTTPS). */
  hsts?: boolean;
}

/** The headers helmet sets with our options, in order. */
export function securityHeaderList(options: SecurityHeadersOptions = {}): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => void headers.push([name, String(value)]),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  helmet({
    // A JSON API loads nothing: no defaults merged in, everything denied.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    strictTransportSecurity: options.hsts ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    crossOriginResourcePolicy: { policy: 'same-site' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // Headers for old browsers or for HTML pages, which a JSON API does not serve.
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  })({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * @example
 * app.use(securityHeaders({ hsts: settings.env === 'production' }));
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): Middleware {
  const headers = securityHeaderList(options);
  return function securityHeadersMiddleware(ctx, next) {
    for (const [name, value] of headers) ctx.res.setHeader(name, value);
    return next();
  };
}
