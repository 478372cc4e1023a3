// Security headers for a JSON API (helmet), strict by default: no framing, no sniffing, no referrer.
import helmet from 'koa-helmet';
import type { Middleware } from 'koa';

export interface SecurityHeadersOptions {
  /** Send Strict-Transport-Security (turn on when served over HTTPS). */
  hsts?: boolean;
}

/**
 * @example
 * app.use(securityHeaders({ hsts: settings.env === 'production' }));
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): Middleware {
  return helmet({
    // A JSON API loads nothing: no defaults merged in, everything denied (/docs sets its own).
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    strictTransportSecurity: options.hsts ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    crossOriginResourcePolicy: { policy: 'same-site' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  }) as unknown as Middleware;
}
