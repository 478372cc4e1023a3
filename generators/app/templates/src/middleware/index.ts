// The application's middleware: the built-in stack createApp runs first (request id, timing, errors,
// security headers, CORS, rate limit, body), then the project's own, in this order, before the routes.
// `fastpy make:middleware <Name>` adds its middleware here.
import type { Middleware } from 'koa';
import type { RuntimeMiddleware } from 'fastpy-runtime';
import { errorHandler, limitBodyDepth, rateLimit, requestId, securityHeaders, timing } from 'fastpy-runtime/http';

/** The built-in stack's parts: after `fastpy eject middleware/rate-limit` (say) this import is your copy, and the app runs it. */
export const stack: RuntimeMiddleware = { requestId, timing, errorHandler, securityHeaders, rateLimit, limitBodyDepth };

export const middleware: Middleware[] = [
  // fastpy:middleware — generated middleware is registered above this line
];
