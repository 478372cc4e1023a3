// Faults: the database or Redis made unreachable while requests keep coming (through a TCP proxy the
// test cuts), then brought back. While it is gone /health/ready says 503 and API calls fail fast with a
// 503 envelope, the process stays up; within 5 s of its return everything is 2xx again.
import test from 'ava';
import { createRedis } from '../../runtime/libs/redis.js';
import type { Driver } from '../../runtime/database/dialects.js';
import { REDIS_URL, testDrivers } from '../helpers/databases.js';
import { startResourceApp, type ResourceApp } from '../helpers/resource-app.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

const PORTS: Record<Exclude<Driver, 'sqlite'>, number> = { postgresql: 5432, mysql: 3306 };
const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

interface Answer {
  status: number;
  body: { success?: boolean; error_code?: string };
  ms: number;
}

async function call(app: ResourceApp, path: string, init: RequestInit = {}): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(app.base + path, { ...init, signal: AbortSignal.timeout(20_000) });
  return { status: response.status, body: (await response.json()) as Answer['body'], ms: performance.now() - started };
}

/** Requests in a loop from `connections` clients until stopped: what a live service sees. */
function load(app: ResourceApp, token: string, connections = 8) {
  const answers: Array<Answer & { at: number }> = [];
  let running = true;
  let serial = 0;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const client = async () => {
    while (running) {
      const create = serial++ % 3 === 0;
      const answer = await call(
        app,
        '/api/articles',
        create
          ? {
              method: 'POST',
              headers,
              body: JSON.stringify({
                title: `Load ${serial}`,
                price: '2.50',
                slug: `load-${process.pid}-${serial}`,
                user_id: 1,
              }),
            }
          : { headers },
      ).catch((error: Error) => ({ status: 0, body: { error_code: error.message }, ms: 0 }));
      answers.push({ ...answer, at: performance.now() });
    }
  };
  const clients = Array.from({ length: connections }, client);
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(clients);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `ok` holds for a request, and returns how long that took. */
async function until(ok: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await ok().catch(() => false)) return performance.now() - started;
    await sleep(50);
  }
  return Infinity;
}

for (const driver of testDrivers().filter((item): item is Exclude<Driver, 'sqlite'> => item !== 'sqlite')) {
  test.serial(
    `${driver}: the database cut mid-load: 503s that come fast, the process stays up, 2xx within 5 s of its return`,
    async (t) => {
      const proxy = new TcpProxy(PORTS[driver]);
      const port = await proxy.start();
      const app = await startResourceApp({
        driver,
        database: `fastpy_faults_${process.pid}`,
        connectUrl: (url) => url.replace(`:${PORTS[driver]}/`, `:${port}/`),
      });
      t.teardown(async () => {
        await proxy.close();
        await app.close();
      });
      const token = await app.token();
      const traffic = load(app, token);
      await sleep(1000);

      const cutAt = performance.now();
      await proxy.cut();
      await sleep(1500);
      const ready = await call(app, '/health/ready');
      t.is(ready.status, 503);
      t.like(ready.body, { success: false, error_code: 'SERVICE_UNAVAILABLE' });
      const api = await call(app, '/api/articles', { headers: { authorization: `Bearer ${token}` } });
      t.is(api.status, 503, JSON.stringify(api.body));
      t.like(api.body, { success: false, error_code: 'SERVICE_UNAVAILABLE' });
      t.true(api.ms < 3000, `failed fast (${api.ms.toFixed(0)} ms)`);
      t.is((await call(app, '/health/live')).status, 200, 'the process is up and answering');

      await proxy.restore();
      const restoredAt = performance.now();
      const back = await until(
        async () =>
          (await call(app, '/health/ready')).status === 200 &&
          (await call(app, '/api/articles', { headers: { authorization: `Bearer ${token}` } })).status === 200,
        5000,
      );
      t.true(back <= 5000, `2xx again ${back.toFixed(0)} ms after the database returned`);
      // Traffic goes on past the 5 s mark: from then on, every answer must be a 2xx.
      await sleep(Math.max(0, restoredAt + 6500 - performance.now()));
      await traffic.stop();

      const during = traffic.answers.filter((answer) => answer.at > cutAt + 200 && answer.at < restoredAt);
      const after = traffic.answers.filter((answer) => answer.at > restoredAt + 5000);
      const before = traffic.answers.filter((answer) => answer.at < cutAt);
      t.true(
        before.length > 0 && before.every((answer) => answer.status >= 200 && answer.status < 300),
        `before: ${[...new Set(before.map((answer) => answer.status))].join(', ')}`,
      );
      t.true(during.length > 0, 'requests kept coming while it was gone');
      t.deepEqual(
        [...new Set(during.map((answer) => answer.status))],
        [503],
        `while cut: ${JSON.stringify(during.filter((answer) => answer.status !== 503).slice(0, 3))}`,
      );
      t.true(during.every((answer) => answer.body.error_code === 'SERVICE_UNAVAILABLE'));
      t.true(
        after.length > 0 && after.every((answer) => answer.status >= 200 && answer.status < 300),
        `after: ${[...new Set(after.map((answer) => answer.status))].join(', ')}`,
      );
      t.deepEqual(unhandled, [], 'no unhandled rejection');
    },
  );
}

for (const failOpen of [true, false]) {
  test.serial(
    `redis (rate limiter) cut: ${failOpen ? 'fails open (the default): requests pass' : 'RATE_LIMIT_FAIL_OPEN=false: 503'}; limits again within 5 s of its return`,
    async (t) => {
      const proxy = new TcpProxy(Number(new URL(REDIS_URL).port || 6379), new URL(REDIS_URL).hostname);
      const port = await proxy.start();
      const url = new URL(REDIS_URL);
      url.port = String(port);
      const redis = createRedis(url.toString());
      // Commands fail at once while the client is not connected (no offline queue): start from a connected one.
      if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
      const app = await startResourceApp({
        driver: 'sqlite',
        database: 'unused',
        env: {
          RATE_LIMIT_ENABLED: 'true',
          RATE_LIMIT_STORE: 'redis',
          RATE_LIMIT_REQUESTS: '10000',
          REDIS_URL: url.toString(),
          RATE_LIMIT_FAIL_OPEN: String(failOpen),
          APP_NAME: `faults-${process.pid}-${failOpen}`,
        },
        app: { redis },
      });
      t.teardown(async () => {
        await proxy.close();
        redis.disconnect();
        await app.close();
      });
      // Health probes are never limited: /openapi.json is an ordinary route.
      const limited = await fetch(`${app.base}/openapi.json`);
      t.truthy(limited.headers.get('x-ratelimit-limit'), 'counted in Redis');

      await proxy.cut();
      await sleep(500);
      const answers = await Promise.all(Array.from({ length: 5 }, () => call(app, '/openapi.json')));
      if (failOpen)
        t.deepEqual(
          answers.map((answer) => answer.status),
          [200, 200, 200, 200, 200],
        );
      else {
        t.deepEqual(
          answers.map((answer) => answer.status),
          [503, 503, 503, 503, 503],
        );
        t.true(answers.every((answer) => answer.body.error_code === 'SERVICE_UNAVAILABLE'));
      }
      t.true(
        answers.every((answer) => answer.ms < 3000),
        'fast',
      );
      t.is((await call(app, '/health/ready')).status, 503, 'readiness names Redis as down');

      await proxy.restore();
      const back = await until(async () => {
        const response = await fetch(`${app.base}/openapi.json`);
        return response.status === 200 && response.headers.get('x-ratelimit-remaining') !== null;
      }, 5000);
      t.true(back <= 5000, `limiting again ${back.toFixed(0)} ms after Redis returned`);
      t.deepEqual(unhandled, []);
    },
  );
}
