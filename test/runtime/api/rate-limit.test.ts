// Sliding-window rate limiting: the X-RateLimit-* headers, a 429 envelope with Retry-After, and
// health probes never limited. With Redis, several instances share one limit.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import test from 'ava';
import type { Knex } from 'knex';
import { assertError, client } from '../../../runtime/testing/kit.js';
import { onEveryDatabase } from '../../helpers/framework-suite.js';

onEveryDatabase('api_rate_limit', ({ it, ready, buildApp, testSettings }) => {
  let db: Knex;

  test.before(async () => {
    db = await ready();
  });

  const limited = (extra: Record<string, string> = {}) =>
    testSettings({
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_REQUESTS: '3',
      RATE_LIMIT_WINDOW: '60',
      RATE_LIMIT_STORE: 'memory',
      ...extra,
    });

  it('requests within the limit carry the X-RateLimit-* headers', async (t) => {
    const app = buildApp({ db, settings: limited() });
    const first = await client(app).get('/nowhere');
    t.is(first.headers['x-ratelimit-limit'], '3');
    t.is(first.headers['x-ratelimit-remaining'], '2');
    t.true(Number(first.headers['x-ratelimit-reset']) >= 1 && Number(first.headers['x-ratelimit-reset']) <= 60);
    const second = await client(app).get('/nowhere');
    t.is(second.headers['x-ratelimit-remaining'], '1');
  });

  it('the request over the limit is a 429 envelope with Retry-After', async (t) => {
    const app = buildApp({ db, settings: limited() });
    for (let i = 0; i < 3; i++) t.not((await client(app).get('/nowhere')).status, 429);
    const response = await client(app).get('/nowhere');
    assertError(t, response, 429, 'RATE_LIMIT_EXCEEDED');
    t.is(response.headers['x-ratelimit-remaining'], '0');
    const retryAfter = Number(response.headers['retry-after']);
    t.true(retryAfter >= 1 && retryAfter <= 60);
    t.is(response.body.retry_after, retryAfter);
  });

  it('clients are limited separately', async (t) => {
    const app = buildApp({ db, settings: limited({ TRUST_PROXY: 'true' }) });
    for (let i = 0; i < 3; i++) await client(app).get('/nowhere').set('X-Forwarded-For', '203.0.113.1');
    t.is((await client(app).get('/nowhere').set('X-Forwarded-For', '203.0.113.1')).status, 429);
    t.is((await client(app).get('/nowhere').set('X-Forwarded-For', '203.0.113.2')).status, 404);
  });

  it('health probes are never rate limited', async (t) => {
    const app = buildApp({ db, settings: limited() });
    for (let i = 0; i < 6; i++) {
      const response = await client(app).get('/health/live');
      t.is(response.status, 200);
      t.false('x-ratelimit-limit' in response.headers);
    }
  });

  it('RATE_LIMIT_ENABLED=false sends no rate-limit headers', async (t) => {
    const response = await client(buildApp({ db, settings: testSettings({ RATE_LIMIT_ENABLED: 'false' }) })).get(
      '/nowhere',
    );
    t.false('x-ratelimit-limit' in response.headers);
  });

  it('with the Redis store, two app instances share one limit', async (t) => {
    const settings = limited({ RATE_LIMIT_STORE: 'redis', APP_NAME: `rate-test-${randomUUID()}` });
    const redisA = new Redis(settings.redisUrl!);
    const redisB = new Redis(settings.redisUrl!);
    try {
      const instanceA = buildApp({ db, settings, redis: redisA });
      const instanceB = buildApp({ db, settings, redis: redisB });
      t.is((await client(instanceA).get('/nowhere')).headers['x-ratelimit-remaining'], '2');
      t.is((await client(instanceB).get('/nowhere')).headers['x-ratelimit-remaining'], '1');
      t.is((await client(instanceA).get('/nowhere')).headers['x-ratelimit-remaining'], '0');
      assertError(t, await client(instanceB).get('/nowhere'), 429, 'RATE_LIMIT_EXCEEDED');
    } finally {
      redisA.disconnect();
      redisB.disconnect();
    }
  });

  it('with Redis unreachable the limiter fails open by default, closed when configured', async (t) => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    dead.on('error', () => {});
    try {
      const open = buildApp({ db, settings: limited({ RATE_LIMIT_STORE: 'redis' }), redis: dead });
      t.is((await client(open).get('/nowhere')).status, 404);
      const closed = buildApp({
        db,
        settings: limited({ RATE_LIMIT_STORE: 'redis', RATE_LIMIT_FAIL_OPEN: 'false' }),
        redis: dead,
      });
      assertError(t, await client(closed).get('/nowhere'), 503, 'SERVICE_UNAVAILABLE');
    } finally {
      dead.disconnect();
    }
  });
});
