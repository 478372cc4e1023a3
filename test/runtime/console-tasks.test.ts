// The project tasks behind fastpy db:* and route:list, on an in-memory SQLite with the runtime's migrations.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import knex, { type Knex } from 'knex';
import { loadSettings } from '../../runtime/config/settings.js';
import { doctorChecks, findSeeder, runConsole } from '../../runtime/console-tasks.js';
import { MissingPackageError } from '../../runtime/utils/optional-package.js';
import { knexConfigFromUrl } from '../../runtime/database/dialects.js';
import { authRoutes } from '../../runtime/routes/auth.js';
import { describeRoutes, formatRouteTable } from '../../runtime/routes/route-table.js';
import { requireAuth, requiresAuth } from '../../runtime/auth/require-auth.js';
import Router from '@koa/router';
import { appRouters, appServices } from '../../runtime/app.js';
import { createLogger } from '../../runtime/utils/logger.js';

const settings = loadSettings({ NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:' });
const logger = createLogger({ level: 'silent' });
const migrations = new URL('../../runtime/database/migrations', import.meta.url).pathname;

function database(seeds?: string): Knex {
  return knex({
    ...knexConfigFromUrl('sqlite::memory:'),
    migrations: { directory: migrations, loadExtensions: ['.ts'] },
    seeds: seeds ? { directory: seeds, loadExtensions: ['.ts'] } : undefined,
  });
}

async function run(db: Knex, ...argv: string[]) {
  const lines: string[] = [];
  const code = await runConsole(argv, { settings, db, logger, routes: [authRoutes], out: (line) => lines.push(line) });
  return { code, output: lines.join('\n') };
}

test('migrate, status, rollback by steps, rollback all, fresh', async (t) => {
  const db = database();
  try {
    t.regex(
      (await run(db, 'migrate')).output,
      /^Running 5 migrations…\nBatch 1 run: 5 migrations\n {2}✓ 20260101000000_create_users_table\.ts/,
    );
    t.is((await run(db, 'migrate')).output, 'Already up to date');
    t.is((await run(db, 'status')).output, '5 migrations run, 0 pending');
    t.regex(
      (await run(db, 'rollback', '--steps', '3')).output,
      /rolled back 20261202000000_add_role_to_users\.ts\n.*rolled back 20260101000300_create_notifications_table\.ts\n.*rolled back 20260101000200_create_queue_tables\.ts\nRolled back 3 migrations$/,
    );
    t.regex(
      (await run(db, 'status')).output,
      /^2 migrations run, 3 pending\n {2}pending 20260101000200_create_queue_tables\.ts\n {2}pending 20260101000300_create_notifications_table\.ts\n {2}pending 20261202000000_add_role_to_users\.ts$/,
    );
    t.regex((await run(db, 'rollback', '--all')).output, /^Rolled back 2 migrations/);
    t.is((await run(db, 'rollback')).output, 'Nothing to roll back');
    t.regex((await run(db, 'fresh')).output, /Rolled back 0 migrations\nRan 5 migrations/);
    t.true(await db.schema.hasTable('auth_sessions'));
    t.true(await db.schema.hasTable('jobs'));
  } finally {
    await db.destroy();
  }
});

test('fresh refuses in production without --force', async (t) => {
  const production = loadSettings({
    NODE_ENV: 'production',
    DATABASE_URL: 'sqlite::memory:',
    SECRET_KEY: 'a-real-production-secret-9f8e7d6c5b4a',
  });
  const db = database();
  try {
    const code = await runConsole(['fresh'], { settings: production, db, logger, routes: [], out: () => undefined });
    t.is(code, 1);
  } finally {
    await db.destroy();
  }
});

test('seed: all, or one by table name, with a count', async (t) => {
  const seeds = mkdtempSync(join(tmpdir(), 'fastpy-seeds-'));
  writeFileSync(
    join(seeds, '00_users.ts'),
    "export async function seed(knex) { if (!(await knex.schema.hasTable('seen'))) await knex.schema.createTable('seen', (t) => t.string('count')); await knex('seen').insert({ count: process.env.SEED_COUNT ?? 'default' }); }\n",
  );
  writeFileSync(join(seeds, '01_posts.ts'), 'export async function seed() {}\n');
  const db = database(seeds);
  try {
    t.regex(
      (await run(db, 'seed', '--seeder', 'users', '--count', '7')).output,
      /^Ran 1 seeder \(7 records each\)\n {2}✓ 00_users\.ts$/,
    );
    t.deepEqual(await db('seen').pluck('count'), ['7']);
    t.regex((await run(db, 'seed')).output, /Ran 2 seeders/);
    t.is((await run(db, 'seed', '--seeder', 'comments')).code, 1);
  } finally {
    delete process.env.SEED_COUNT;
    await db.destroy();
  }
  mkdirSync(join(seeds, 'empty'));
  t.throws(() => findSeeder(join(seeds, 'empty'), 'users'), { message: /no seeder "users" .*seeders: none/ });
});

test('routes: a table of method, path, name, bearer and handler, or JSON', async (t) => {
  const db = database();
  try {
    const table = (await run(db, 'routes')).output;
    t.regex(table.split('\n')[0]!, /^METHOD +PATH +NAME +AUTH +HANDLER$/);
    t.regex(table, /GET +\/api\/auth\/me +auth\.me +bearer +me/);
    t.regex(table, /POST +\/api\/auth\/register +auth\.register +register/);
    const rows = JSON.parse((await run(db, 'routes', '--json')).output) as Array<{
      method: string;
      path: string;
      protected: boolean;
    }>;
    t.true(rows.some((row) => row.method === 'GET' && row.path === '/health/ready' && !row.protected));
    t.false(rows.some((row) => row.method === 'HEAD'));
    t.is((await run(db, 'nonsense')).code, 1);
    t.is((await run(db, 'rollback', '--steps', 'two')).code, 1);
  } finally {
    await db.destroy();
  }
});

test('the route table agrees with the routers', (t) => {
  const db = database();
  const rows = describeRoutes(appRouters(appServices({ settings, db, logger }), [authRoutes]));
  t.is(
    rows.filter((row) => row.path.startsWith('/api/auth')).length,
    13,
    'register, both logins, refresh, me, passwords (and the reset page), e-mail verification (and its link), logout',
  );
  t.is(rows.filter((row) => row.protected).length, 4);
  t.regex(
    formatRouteTable(rows.slice(0, 1)),
    /^METHOD +PATH +NAME +AUTH +HANDLER\nGET +\/health +health\.index +healthy$/,
  );
  void db.destroy();
});

test("a route behind requireAuth is protected in the table whatever its middleware's name (a minifier's)", (t) => {
  const db = database();
  const services = appServices({ settings, db, logger });
  const guard = requireAuth(services.auth);
  t.true(requiresAuth(guard));
  Object.defineProperty(guard, 'name', { value: 'a' });
  const router = new Router();
  router.get('reports.index', '/api/reports', guard, function index(ctx) {
    ctx.body = [];
  });
  router.get('open.index', '/api/open', (ctx) => {
    ctx.body = [];
  });
  t.deepEqual(
    describeRoutes([router]).map((row) => [row.path, row.protected]),
    [
      ['/api/reports', true],
      ['/api/open', false],
    ],
  );
  t.false(
    requiresAuth(async function requireAuthMiddleware() {}),
    'a look-alike name is not the mark',
  );
  void db.destroy();
});

test.serial('a failing migration is one line naming the file and its reason, not a stack trace', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'fastpy-migrations-'));
  writeFileSync(
    join(directory, '20260101000000_ok.ts'),
    "export async function up(knex) { await knex.schema.createTable('fine', (t) => t.increments('id')); }\nexport async function down(knex) { await knex.schema.dropTable('fine'); }\n",
  );
  writeFileSync(
    join(directory, '20260102000000_broken.ts'),
    "export async function up() { throw new Error('posts.title becomes required, but 2 rows have no value in it\\nsecond line'); }\nexport async function down() {}\n",
  );
  const db = knex({ ...knexConfigFromUrl('sqlite::memory:'), migrations: { directory, loadExtensions: ['.ts'] } });
  const errors: string[] = [];
  const original = console.error;
  console.error = (line: string) => errors.push(line);
  try {
    t.is((await run(db, 'migrate')).code, 1);
    t.deepEqual(errors, [
      'fastpy: 20260102000000_broken.ts failed: posts.title becomes required, but 2 rows have no value in it\n(DEBUG=1 shows the stack)',
    ]);
  } finally {
    console.error = original;
    await db.destroy();
  }
});

// Serial: it replaces console.error to read what the task prints.
test.serial(
  'create makes the development database and the test one, and says where they already are; a database problem is one line',
  async (t) => {
    const folder = mkdtempSync(join(tmpdir(), 'fastpy-create-task-'));
    const file = join(folder, 'data', 'app.db');
    const fileSettings = loadSettings({ NODE_ENV: 'development', DATABASE_URL: `sqlite:${file}` });
    const lines: string[] = [];
    const db = knex(knexConfigFromUrl('sqlite::memory:'));
    t.teardown(() => db.destroy());
    const context = { settings: fileSettings, db, logger, routes: [], out: (line: string) => lines.push(line) };
    t.is(await runConsole(['create'], { ...context, testDatabaseUrl: () => `sqlite:${join(folder, 'test.db')}` }), 0);
    t.deepEqual(lines.splice(0), [`✓ created database ${file}`, `✓ created database ${join(folder, 'test.db')}`]);
    t.is(await runConsole(['create'], { ...context, testDatabaseUrl: () => 'sqlite::memory:' }), 0);
    t.deepEqual(lines.splice(0), [`✓ database ${file} exists`], 'an in-memory test database needs nothing');
    const errors: string[] = [];
    const error = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      t.is(
        await runConsole(['create'], {
          ...context,
          testDatabaseUrl: () => {
            throw new Error('Invalid settings (fix .env or the environment):\n  - PORT must be an integer');
          },
        }),
        1,
      );
      // The server is not there: one line, whatever the task.
      const closed = knex({
        ...knexConfigFromUrl('postgresql://postgres@127.0.0.1:1/nowhere', { acquireTimeoutMs: 5_000 }),
        migrations: { directory: migrations, loadExtensions: ['.ts'] },
      });
      t.teardown(() => closed.destroy());
      t.is(
        await runConsole(['status'], {
          ...context,
          settings: loadSettings({
            NODE_ENV: 'development',
            DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere',
          }),
          db: closed,
        }),
        1,
      );
    } finally {
      console.error = error;
    }
    t.is(errors[0], 'fastpy: the test settings (.env.test) are not valid: PORT must be an integer');
    t.regex(
      errors[1]!,
      /^fastpy: cannot reach the PostgreSQL server at 127\.0\.0\.1:1 \(ECONNREFUSED\): is it running, and is DATABASE_URL right\?\n\(DEBUG=1 shows the stack\)$/,
    );
  },
);

// Serial: it replaces console.error to read what the task prints.
test.serial(
  'a migration that ran but whose file is gone ("migration directory is corrupt") is one line naming it and what to do',
  async (t) => {
    const folder = mkdtempSync(join(tmpdir(), 'fastpy-corrupt-'));
    for (const name of ['20260101000000_first', '20260102000000_second'])
      writeFileSync(
        join(folder, `${name}.ts`),
        `export async function up(knex) { await knex.schema.createTable('t_${name.slice(-5)}', (table) => table.increments()); }\nexport async function down(knex) { await knex.schema.dropTable('t_${name.slice(-5)}'); }\n`,
      );
    const db = knex({
      ...knexConfigFromUrl('sqlite::memory:'),
      migrations: { directory: folder, loadExtensions: ['.ts'] },
    });
    t.teardown(() => db.destroy());
    t.is((await run(db, 'migrate')).code, 0);
    const { rmSync } = await import('node:fs');
    rmSync(join(folder, '20260102000000_second.ts'));
    const errors: string[] = [];
    const error = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      t.is((await run(db, 'migrate')).code, 1);
    } finally {
      console.error = error;
    }
    t.regex(
      errors[0]!,
      /^fastpy: these migrations have run, but their files are gone: 20260102000000_second\.ts\. Put them back \(git checkout, or from where they were moved\), or roll back on the machine that has them\n\(DEBUG=1 shows the stack\)$/,
    );
  },
);

test("doctor's Redis check: a missing ioredis says to add the feature; an unreachable server, to start it", async (t) => {
  const db = database();
  try {
    const withRedis = loadSettings({
      NODE_ENV: 'test',
      DATABASE_URL: 'sqlite::memory:',
      REDIS_URL: 'redis://127.0.0.1:1/0',
    });
    const missing = await doctorChecks({ settings: withRedis, db, logger, routes: [] }, () =>
      Promise.reject(new MissingPackageError('ioredis', 'redis', 'the Redis check (REDIS_URL)')),
    );
    t.like(missing.at(-1), {
      ok: false,
      label: 'Redis (redis://127.0.0.1:1/0): ioredis is not installed',
      fix: 'fastpy add redis (or remove REDIS_URL from .env)',
    });
    const down = await doctorChecks({ settings: withRedis, db, logger, routes: [] }, () =>
      Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')),
    );
    t.like(down.at(-1), {
      ok: false,
      label: 'Redis unreachable (redis://127.0.0.1:1/0): connect ECONNREFUSED 127.0.0.1:1',
      fix: 'start Redis, or fix REDIS_URL in .env',
    });
  } finally {
    await db.destroy();
  }
});
