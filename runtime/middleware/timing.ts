// X-Response-Time on every response, a warning in the log for slow requests, and in development a
// line per request (method, path, status, time, request id).
import type { Middleware } from 'koa';
import type { Logger } from '../utils/logger.js';

export interface TimingOptions {
  logger: Logger;
  /** Requests slower than this many milliseconds are logged as warnings (default 1000). */
  slowMs?: number;
  /** Every request at info (development); otherwise at debug. */
  logRequests?: boolean;
}

/**
 * @example
 * app.use(timing({ logger, slowMs: 1000 }));
 */
export function timing(options: TimingOptions): Middleware {
  const slowMs = options.slowMs ?? 1000;
  const level = options.logRequests ? 'info' : 'debug';
  return async function timingMiddleware(ctx, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = performance.now() - started;
      if (!ctx.res.headersSent) ctx.res.setHeader('X-Response-Time', `${ms.toFixed(2)}ms`);
      // The log line is only built when it will be written.
      const slow = ms > slowMs;
      if (slow || options.logger.isLevelEnabled(level)) {
        const line = {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Number(ms.toFixed(2)),
          requestId: ctx.state.requestId as string | undefined,
        };
        if (slow) options.logger.warn(line, 'slow request');
        else options.logger[level](line, `${ctx.method} ${ctx.path} ${ctx.status} ${ms.toFixed(1)}ms`);
      }
    }
  };
}
