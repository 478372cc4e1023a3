// Health endpoints for load balancers and orchestrators: /health/ (up), /health/live (process alive),
// /health/ready (dependencies answer; 503 otherwise) and /health/info (what is running).
import Router from '@koa/router';
import type { Knex } from 'knex';
import { dialectOf } from '../database/dialects.js';
import { ServiceUnavailableException } from '../utils/exceptions.js';
import { sendSuccess } from '../utils/responses.js';

/** Something whose `ping()` resolves when it is reachable (an ioredis client, for one). */
export interface Pingable {
  ping(): Promise<unknown>;
}

export interface HealthOptions {
  db: Knex;
  name: string;
  version: string;
  environment: string;
  /** Further dependencies checked by /health/ready, by name (e.g. `{ redis }`). */
  dependencies?: Record<string, Pingable>;
  /** How long a check may take before it counts as down (default 2000 ms). */
  timeoutMs?: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * @example
 * app.use(healthRouter({ db, name: 'my-api', version: '1.0.0', environment: 'production' }).routes());
 */
export function healthRouter(options: HealthOptions): Router {
  const timeoutMs = options.timeoutMs ?? 2000;
  const started = Date.now();
  const router = new Router({ prefix: '/health' });
  const checks: Record<string, () => Promise<unknown>> = {
    database: () => options.db.raw('select 1'),
    ...Object.fromEntries(Object.entries(options.dependencies ?? {}).map(([name, dependency]) => [name, () => dependency.ping()])),
  };

  router.get('health.index', '/', function healthy(ctx) {
    sendSuccess(ctx, { status: 'ok' }, { message: 'Service is healthy' });
  });

  router.get('health.live', '/live', function live(ctx) {
    sendSuccess(ctx, { status: 'alive' }, { message: 'Service is alive' });
  });

  router.get('health.ready', '/ready', async function ready(ctx) {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs, name);
          return [name, 'ok'] as const;
        } catch {
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const down = results.filter(([, state]) => state !== 'ok').map(([name]) => name);
    if (down.length > 0) {
      throw new ServiceUnavailableException(`Service not ready: ${down.join(', ')} unavailable`, {
        errors: Object.fromEntries(down.map((name) => [name, ['unavailable']])),
      });
    }
    sendSuccess(ctx, { status: 'ready', checks: Object.fromEntries(results) }, { message: 'Service is ready' });
  });

  router.get('health.info', '/info', function info(ctx) {
    sendSuccess(ctx, {
      name: options.name,
      version: options.version,
      environment: options.environment,
      database: dialectOf(options.db).driver,
      node: process.version,
      uptime_seconds: Math.round((Date.now() - started) / 1000),
    });
  });

  return router;
}
