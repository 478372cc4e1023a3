// Health endpoints for load balancers and orchestrators: /health/ (up), /health/live (process alive),
// /health/ready (dependencies answer; 503 otherwise) and /health/info (what is running).
import Router from '@koa/router';
import type { Knex } from 'knex';
import { dialectOf } from '../database/dialects.js';
import { describeRoute } from '../openapi/document.js';
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
    ...Object.fromEntries(
      Object.entries(options.dependencies ?? {}).map(([name, dependency]) => [name, () => dependency.ping()]),
    ),
  };

  const status = (value: string, extra: Record<string, unknown> = {}) => ({
    type: 'object',
    properties: { status: { const: value }, ...extra },
    required: ['status'],
  });
  const doc = (summary: string, data: Record<string, unknown>, responses = {}) => ({
    tags: ['health'],
    summary,
    responses: { 200: { description: 'OK', data }, ...responses },
  });

  router.get(
    'health.index',
    '/',
    describeRoute(doc('Is the service up', status('ok')), function healthy(ctx) {
      sendSuccess(ctx, { status: 'ok' }, { message: 'Service is healthy' });
    }),
  );

  router.get(
    'health.live',
    '/live',
    describeRoute(doc('Liveness: the process answers', status('alive')), function live(ctx) {
      sendSuccess(ctx, { status: 'alive' }, { message: 'Service is alive' });
    }),
  );

  const readiness = doc(
    'Readiness: every dependency answers',
    status('ready', { checks: { type: 'object', additionalProperties: { const: 'ok' } } }),
    {
      503: { description: 'A dependency is down: `errors` names each' },
    },
  );
  router.get(
    'health.ready',
    '/ready',
    describeRoute(readiness, async function ready(ctx) {
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
    }),
  );

  const about = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      version: { type: 'string' },
      environment: { type: 'string' },
      database: { type: 'string' },
      node: { type: 'string' },
      uptime_seconds: { type: 'integer' },
    },
  };
  router.get(
    'health.info',
    '/info',
    describeRoute(doc('What is running', about), function info(ctx) {
      sendSuccess(ctx, {
        name: options.name,
        version: options.version,
        environment: options.environment,
        database: dialectOf(options.db).driver,
        node: process.version,
        uptime_seconds: Math.round((Date.now() - started) / 1000),
      });
    }),
  );

  return router;
}
