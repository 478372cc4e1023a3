// X-Request-ID: keeps a sane id sent by the client (or a proxy), otherwise makes one; on ctx.state.requestId.
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

export const REQUEST_ID_HEADER = 'X-Request-ID';
/** How Node names it among the request's headers. */
const INCOMING = REQUEST_ID_HEADER.toLowerCase();

/** Ids we pass on unchanged: short, and only characters that are safe in headers and logs. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * @example
 * app.use(requestId());
 * router.get('/', (ctx) => { ctx.state.requestId; });
 */
export function requestId(): Middleware {
  // Not async: it has nothing to do after the rest, so it hands on the rest's promise.
  return function requestIdMiddleware(ctx, next) {
    const sent = ctx.req.headers[INCOMING];
    const id = typeof sent === 'string' && SANE_ID.test(sent) ? sent : randomUUID();
    ctx.state.requestId = id;
    ctx.res.setHeader(REQUEST_ID_HEADER, id);
    return next();
  };
}
