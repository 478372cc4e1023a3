// Two instances of the app on different ports, one database and one Redis: what one instance knows
// the other knows too — a rate limit, a login lockout and a revoked token hold across both (the app
// keeps nothing that matters in process memory when Redis is configured), and a job queued by one
// process runs once, in whichever worker takes it.
import test from 'ava';
import { Redis } from 'ioredis';
import { spawnAsync } from '../helpers/cli.js';
import { createRedis } from '../../runtime/libs/redis.js';
import type { Driver } from '../../runtime/database/dialects.js';
import { REDIS_URL, testDrivers } from '../helpers/databases.js';
import { startResourceApp, type ResourceApp } from '../helpers/resource-app.js';

const driver = testDrivers().find((item): item is Exclude<Driver, 'sqlite'> => item !== 'sqlite');

/** Two instances over one database (made by the first) and one Redis. */
async function pair(
  t: import('ava').ExecutionContext,
  name: string,
  env: Record<string, string>,
): Promise<[ResourceApp, ResourceApp]> {
  const database = `fastpy_scale_${name}_${process.pid}`;
  const shared = {
    RATE_LIMIT_STORE: 'redis',
    REDIS_URL,
    APP_NAME: `scale-${name}-${process.pid}-${Date.now()}`,
    ...env,
  };
  const clients = [createRedis(REDIS_URL), createRedis(REDIS_URL)];
  // No offline queue: commands fail at once until a client is connected.
  await Promise.all(
    clients.map((client) =>
      client.status === 'ready' ? Promise.resolve() : new Promise((resolve) => client.once('ready', resolve)),
    ),
  );
  const first = await startResourceApp({ driver: driver!, database, env: shared, app: { redis: clients[0] } });
  const second = await startResourceApp({
    driver: driver!,
    database,
    env: shared,
    app: { redis: clients[1] },
    existing: true,
  });
  t.teardown(async () => {
    await second.close();
    await first.close();
    for (const client of clients) client.disconnect();
  });
  return [first, second];
}

const json = { 'content-type': 'application/json' };

(driver ? test.serial : test.serial.skip)(
  'a rate limit is shared: requests to either instance count against one budget',
  async (t) => {
    const [a, b] = await pair(t, 'limit', {
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_REQUESTS: '6',
      RATE_LIMIT_WINDOW: '60',
    });
    const statuses: number[] = [];
    const remaining: Array<string | null> = [];
    for (const app of [a, b, a, b, a, b, a, b]) {
      // Any route but the health probes (never limited).
      const response = await fetch(`${app.base}/openapi.json`);
      statuses.push(response.status);
      remaining.push(response.headers.get('x-ratelimit-remaining'));
    }
    t.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 429, 429]);
    t.deepEqual(remaining.slice(0, 6), ['5', '4', '3', '2', '1', '0']);
  },
);

(driver ? test.serial : test.serial.skip)(
  'a login lockout on one instance holds on the other; a token revoked on one is refused by the other',
  async (t) => {
    const [a, b] = await pair(t, 'auth', { RATE_LIMIT_ENABLED: 'false', LOGIN_MAX_ATTEMPTS: '4' });
    const email = `scale-${Date.now()}@example.com`;
    const password = 'the right password';
    t.is(
      (
        await fetch(`${a.base}/api/auth/register`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ name: 'Scale', email, password }),
        })
      ).status,
      201,
    );
    const login = (app: ResourceApp, secret: string) =>
      fetch(`${app.base}/api/auth/login/json`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email, password: secret }),
      });

    // A session opened on A works on B; logged out on A, B refuses it at once.
    const session = (await (await login(a, password)).json()) as { data: { access_token: string } };
    const bearer = { authorization: `Bearer ${session.data.access_token}` };
    t.is((await fetch(`${b.base}/api/auth/me`, { headers: bearer })).status, 200);
    t.is(
      (await fetch(`${a.base}/api/auth/logout`, { method: 'POST', headers: { ...bearer, ...json }, body: '{}' }))
        .status,
      200,
    );
    t.is((await fetch(`${b.base}/api/auth/me`, { headers: bearer })).status, 401, 'revoked on A, refused by B');

    // Failed attempts spread over both instances lock the account on both.
    for (const app of [a, b, a, b]) t.is((await login(app, 'wrong password')).status, 401);
    const lockedA = await login(a, password);
    const lockedB = await login(b, password);
    t.is(lockedA.status, 429, 'locked out on A');
    t.is(lockedB.status, 429, 'and on B');
    t.truthy(lockedB.headers.get('retry-after'));
  },
);

test.serial(
  'a job queued by one instance runs exactly once, in one of two worker processes (QUEUE_DRIVER=redis)',
  async (t) => {
    const script = new URL('../fixtures/scale-out-queue.ts', import.meta.url).pathname;
    const runsKey = `fastpy-scale-runs-${process.pid}-${Date.now()}`;
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      QUEUE_DRIVER: 'redis',
      REDIS_URL,
      RUNS_KEY: runsKey,
      APP_NAME: `scale-queue-${process.pid}-${Date.now()}`,
    };
    const run = (...args: string[]) =>
      spawnAsync(process.execPath, ['--import', 'tsx', script, ...args], {
        cwd: process.cwd(),
        env,
        timeoutMs: 60_000,
      });
    const pushed = await run('push', '40');
    t.is(pushed.status, 0, pushed.stderr);
    const workers = await Promise.all([run('work', '7000'), run('work', '7000')]);
    for (const worker of workers) t.is(worker.status, 0, worker.stderr);
    const redis = new Redis(REDIS_URL);
    t.teardown(() => redis.disconnect());
    const runs = await redis.lrange(runsKey, 0, -1);
    await redis.del(runsKey);
    const jobs = runs.map((entry) => Number(entry.split(':')[0]));
    t.deepEqual(
      [...jobs].sort((a, b) => a - b),
      Array.from({ length: 40 }, (_, n) => n),
      'every job ran, and only once',
    );
    t.is(new Set(runs.map((entry) => entry.split(':')[1])).size, 2, 'both workers took jobs');
  },
);
