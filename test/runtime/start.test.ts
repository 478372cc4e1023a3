// What an app's start loads: packages only some requests need are loaded by the first of them
// (undici by the Http facade's first request, the body parser by the first POST, PUT or PATCH),
// each of which costs the start tens of milliseconds. In a fresh process, as a server starts.
import { spawnSync } from 'node:child_process';
import test from 'ava';

const runtime = (file: string) => JSON.stringify(new URL(`../../runtime/${file}`, import.meta.url).href);

test("an app's start loads neither undici nor the body parser; a request that needs one loads it", (t) => {
  const script = `
    import { createRequire } from 'node:module';
    const loaded = () => {
      const files = Object.keys(createRequire(import.meta.url).cache);
      return ['undici', 'co-body'].filter((name) => files.some((file) => file.includes('/node_modules/' + name + '/')));
    };
    const { createApp } = await import(${runtime('app.ts')});
    await import(${runtime('libs/index.ts')}); // #libs, as an app's bootstrap imports it
    const { loadSettings } = await import(${runtime('config/settings.ts')});
    const { createLogger } = await import(${runtime('utils/logger.ts')});
    const { default: knex } = await import('knex');
    const { default: supertest } = await import('supertest');
    const db = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    const settings = loadSettings({ NODE_ENV: 'test', RATE_LIMIT_ENABLED: 'false' });
    const { default: Router } = await import('@koa/router');
    const echo = () => new Router().post('/echo', (ctx) => { ctx.body = { got: ctx.request.body }; });
    const app = createApp({ settings, db, logger: createLogger({ level: 'silent' }), routes: [echo] }).callback();
    const atStart = loaded();
    const health = (await supertest(app).get('/health')).status;
    const afterGet = loaded();
    const echoed = (await supertest(app).post('/echo').send({ a: [1, { b: 'c' }] })).body;
    console.log(JSON.stringify({ atStart, health, afterGet, afterPost: loaded(), echoed }));
    await db.destroy();`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  t.is(run.status, 0, run.stderr);
  const seen = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  t.deepEqual(seen.atStart, []);
  t.is(seen.health, 200);
  t.deepEqual(seen.afterGet, [], 'a GET parses no body');
  t.deepEqual(seen.afterPost, ['co-body'], 'the first POST loaded the body parser');
  t.deepEqual(seen.echoed, { got: { a: [1, { b: 'c' }] } }, 'and parsed its body');
});
