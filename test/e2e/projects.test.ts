// End to end, as a user would: `fastpy new` a project per database and `fastpy make:resource` a
// resource with every field type, install (one shared install, reused across projects and runs),
// type-check, run the Knex CLI, run the project's own test suite against the real database, change
// the resource's fields and migrate with the data kept, and start the built and the dev server.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { Validator } from '@seriousme/openapi-schema-validator';
import S3rver from 's3rver';
import type { Driver } from '../../runtime/database/dialects.js';
import { spawnAsync } from '../helpers/cli.js';
import { databaseUrl, recreateDatabase, REDIS_URL, testDrivers } from '../helpers/databases.js';
import { ALL_TYPES_FIELDS } from '../helpers/fields.js';
import { linkProjectDependencies } from '../helpers/project-deps.js';
import { openApiChecker } from '../helpers/openapi.js';
import { redoclyFindings, spectralFindings } from '../helpers/openapi-lint.js';
import { ARTIFACTS, browserRequired, chromiumPath, launchChromium } from '../helpers/browser.js';

const REPO = new URL('../..', import.meta.url).pathname;
const BIN = join(REPO, 'bin', 'fastpy.js');

interface Variant {
  driver: Driver;
  args: string[];
}

/** The e2e projects get a database of their own, recreated each run (migration file names change every run). */
// One per run (dropped at its end), so two runs on one machine never share tables or migrations.
const E2E_DATABASE = `fastpy_e2e_${process.pid}`;
const e2eUrl = (driver: Exclude<Driver, 'sqlite'>) => databaseUrl(driver, E2E_DATABASE);

const VARIANTS: Record<Driver, Variant> = {
  sqlite: { driver: 'sqlite', args: [] },
  postgresql: {
    driver: 'postgresql',
    args: ['--db', 'postgresql', '--database-url', e2eUrl('postgresql'), '--features', 'rate-limit,docs,redis'],
  },
  mysql: { driver: 'mysql', args: ['--db', 'mysql', '--database-url', e2eUrl('mysql'), '--features', 'rate-limit'] },
};

const COMMENT_FIELDS = [
  'body:text:required,max:2000',
  'article_id:integer:required,foreign:articles.id',
  'rating:integer:gte:1,lte:5,nullable',
];

/** Who the projects' commits are by (CI machines may have no git identity). */
const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Fastpy E2E',
  GIT_AUTHOR_EMAIL: 'e2e@example.com',
  GIT_COMMITTER_NAME: 'Fastpy E2E',
  GIT_COMMITTER_EMAIL: 'e2e@example.com',
};

const fieldArgs = (specs: string[]) => specs.flatMap((spec) => ['-f', spec]);

/** Notes are their creator's (--owned), optionally on an article. */
const NOTE_FIELDS = ['text:text:required', 'article_id:integer:nullable,foreign:articles.id'];

/** Run on the SQLite project only: a model built part by part, and the other generators. */
const SQLITE_EXTRAS = [
  ['make:model', 'Tag', '-f', 'name:slug:required,unique', '-f', 'weight:integer:gte:0,default:1', '-m'],
  ['make:test', 'Tag'],
  ['make:seeder', 'Tag'],
  ['make:enum', 'Status', '-v', 'active', '-v', 'on-hold'],
  ['make:exception', 'PaymentFailed', '-s', '402'],
  ['make:middleware', 'Logging'],
];
const USAGE_EXAMPLES = new URL('../../lib/cli/libs-usage', import.meta.url).pathname;
const TYPED_CLIENT = new URL('../fixtures/typed-client', import.meta.url).pathname;

/**
 * Migrations each project has: users, auth, queue, notifications, roles, articles, comments, notes,
 * labels, article_label, label_note, comment_label and its drop, the users' phone and nickname, the nickname's drop (and tags on SQLite);
 * seeders: users, articles, comments, notes, labels (and tags).
 */
const migrationCount = (driver: Driver) => (driver === 'sqlite' ? 16 : 15);
const seederCount = (driver: Driver) => (driver === 'sqlite' ? 6 : 5);

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  timeout = 600_000,
): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
}

function ok(t: ExecutionContext, result: SpawnSyncReturns<string>, what: string): string {
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  t.is(result.status, 0, `${what} failed (status ${result.status}, signal ${result.signal}):\n${output.slice(-6000)}`);
  return output;
}

const workspace = mkdtempSync(join(tmpdir(), 'fastpy-e2e-'));
const projects = new Map<Driver, string>();

/** Generates each project with the real `fastpy` binary, then installs the union of their dependencies once. */
test.before('generate projects and install their dependencies (cached)', async () => {
  for (const driver of testDrivers()) {
    if (driver !== 'sqlite') await recreateDatabase(driver, E2E_DATABASE);
    const name = `e2e-${driver}`;
    const result = run(
      process.execPath,
      [BIN, 'new', name, '--yes', '--skip-install', ...VARIANTS[driver].args],
      workspace,
      GIT_IDENTITY,
    );
    if (result.status !== 0) throw new Error(`fastpy new failed for ${driver}:\n${result.stderr}`);
    const dir = join(workspace, name);
    const commands = [
      ['make:resource', 'Article', ...fieldArgs(ALL_TYPES_FIELDS), '-m', '-p'],
      ['make:resource', 'Comment', ...fieldArgs(COMMENT_FIELDS), '-m'],
      ['make:resource', 'Note', ...fieldArgs(NOTE_FIELDS), '-m', '--owned'],
      // Articles belong to many labels (a pivot table, article_label), added to a resource that exists.
      ['make:resource', 'Label', '-f', 'name:string:required,unique', '-m'],
      ['make:resource', 'Article', '--belongs-to-many', 'Label'],
      // Owned notes belong to many labels: the labels' contract links the signed-in user's notes.
      ['make:resource', 'Note', '--belongs-to-many', 'Label'],
      // A link made and dropped again: comment_label's create and drop migrations (rolled back and
      // run again with the rest below).
      ['make:resource', 'Comment', '--belongs-to-many', 'Label'],
      ['make:resource', 'Comment', '--remove-belongs-to-many', 'Label', '--allow-data-loss'],
      // Users get columns of their own (registration then needs a phone; every test that makes a
      // user gets one through the project's user factory), and lose one again: on SQLite dropping
      // a column rebuilds users, which the auth tables and notes point at.
      ['make:resource', 'User', '-f', 'phone:string:required,max:20', '-f', 'nickname:string:max:40'],
      ['make:resource', 'User', '--remove-field', 'nickname', '--allow-data-loss'],
      // The individual generators, once: their output must compile and pass with the rest.
      ...(driver === 'sqlite' ? SQLITE_EXTRAS : []),
    ];
    for (const command of commands) {
      const made = run(process.execPath, [BIN, ...command], dir);
      if (made.status !== 0)
        throw new Error(`fastpy ${command.slice(0, 2).join(' ')} failed for ${driver}:\n${made.stderr}`);
    }
    // The facades' examples (fastpy libs <name> --usage), in the project: type-checked with it, then run.
    if (driver === 'sqlite') cpSync(USAGE_EXAMPLES, join(dir, 'tests', 'libs-usage'), { recursive: true });
    projects.set(driver, dir);
  }
  linkProjectDependencies([...projects.values()]);
});

test.after.always(async () => {
  rmSync(workspace, { recursive: true, force: true });
  for (const driver of testDrivers()) {
    if (driver === 'sqlite') continue;
    for (const database of [E2E_DATABASE, `${E2E_DATABASE}_test`])
      await recreateDatabase(driver, database, true).catch(() => undefined);
  }
});

/** The rows of a table, read through the project's own settings and Knex. */
function tableRows(
  t: ExecutionContext,
  dir: string,
  table: string,
  columns: string[],
  orderBy = 'id',
): Array<Record<string, unknown>> {
  const script = [
    "import { readSettings } from './src/config/index.ts';",
    "import { createDatabase } from 'fastpy-runtime/database';",
    'const db = createDatabase(readSettings().database);',
    `const rows = await db(${JSON.stringify(table)}).select(${columns.map((column) => JSON.stringify(column)).join(', ')}).orderBy(${JSON.stringify(orderBy)});`,
    'console.log(JSON.stringify(rows));',
    'await db.destroy();',
  ].join('\n');
  const output = ok(t, run('node', ['--import', 'tsx', '--input-type=module', '-e', script], dir), `reading ${table}`);
  return JSON.parse(output.trim().split('\n').at(-1)!) as Array<Record<string, unknown>>;
}

for (const driver of testDrivers()) {
  // The project's own tests use the database .env.test names (made by db:create below): nothing else is set.
  const testEnv = {};

  if (driver !== 'sqlite') {
    test.serial(
      `${driver}: with neither database on the server, db:migrate says in one line to run db:create, which makes both`,
      async (t) => {
        const dir = projects.get(driver)!;
        await recreateDatabase(driver, E2E_DATABASE, true);
        await recreateDatabase(driver, `${E2E_DATABASE}_test`, true);
        const missing = run(process.execPath, [BIN, 'db:migrate'], dir);
        t.is(missing.status, 1);
        t.regex(
          missing.stderr,
          new RegExp(
            `^fastpy: database "${E2E_DATABASE}" does not exist on the (PostgreSQL|MySQL) server at 127\\.0\\.0\\.1:\\d+: create it with fastpy db:create`,
          ),
        );
        t.notRegex(missing.stderr, /\n\s+at /, 'no stack');
        const created = ok(t, run('npm', ['run', '--silent', 'db:create'], dir), 'npm run db:create');
        t.regex(created, new RegExp(`✓ created database ${E2E_DATABASE}\n✓ created database ${E2E_DATABASE}_test`));
        t.regex(
          ok(t, run(process.execPath, [BIN, 'db:create'], dir), 'fastpy db:create again'),
          new RegExp(`✓ database ${E2E_DATABASE} exists\n✓ database ${E2E_DATABASE}_test exists`),
        );
      },
    );
  }

  test.serial(
    `${driver}: the project type-checks, and npm run lint (ESLint, Prettier) passes after every generator`,
    (t) => {
      ok(t, run('npx', ['tsc', '--noEmit'], projects.get(driver)!), 'tsc --noEmit');
      t.regex(
        ok(t, run('npm', ['run', 'lint'], projects.get(driver)!), 'npm run lint'),
        /All matched files use Prettier code style!/,
      );
    },
  );

  test.serial(`${driver}: npx knex migrate:latest / migrate:rollback work as typed`, (t) => {
    const dir = projects.get(driver)!;
    const count = readdirSync(join(dir, 'src', 'database', 'migrations')).filter((file) => file.endsWith('.ts')).length;
    t.is(count, migrationCount(driver));
    ok(t, run('npx', ['knex', 'migrate:rollback', '--all'], dir), 'knex migrate:rollback --all');
    t.regex(
      ok(t, run('npx', ['knex', 'migrate:latest'], dir), 'knex migrate:latest'),
      new RegExp(`Batch \\d+ run: ${count} migrations`),
    );
    t.regex(
      ok(t, run('npx', ['knex', 'migrate:status'], dir), 'knex migrate:status'),
      /No Pending Migration files Found/,
    );
    t.regex(
      ok(t, run('npx', ['knex', 'migrate:rollback'], dir), 'knex migrate:rollback'),
      new RegExp(`rolled back: ${count} migrations`),
    );
    t.regex(
      ok(t, run('npm', ['run', 'migrate'], dir), 'npm run migrate'),
      new RegExp(`Batch \\d+ run: ${count} migrations`),
    );
  });

  test.serial(`${driver}: the project's own test suite passes, resource contracts included`, (t) => {
    const output = ok(t, run('npm', ['test'], projects.get(driver)!, testEnv), 'npm test');
    t.regex(output, /(\d+) tests passed/);
    // The framework's own tests are fastpy-runtime's (test/runtime/api); the project runs its smoke tests and its resources'.
    const articleTests = output.match(/✔ articles › /g)?.length ?? 0;
    t.true(articleTests >= 80, `the contract of a 23-field resource is in there (${articleTests} tests)`);
    t.regex(output, /✔ auth › register, log in, read the current user and refresh the tokens/);
    t.regex(
      output,
      /✔ articles › GET and POST \/api\/articles\/:id\/comments list and create the comments of one record/,
    );
    // Owned notes: each user's own, an admin's all; an article includes and nests only the requester's.
    t.regex(output, /✔ notes › \/api\/notes records are their creator's: another user's is a 404, an admin sees all/);
    t.regex(output, /✔ articles › \?include=notes lists the notes pointing at a record/);
    t.regex(output, /✔ articles › GET and POST \/api\/articles\/:id\/notes list and create the notes of one record/);
    // Many-to-many both ways: label_ids on articles, article_ids on labels.
    t.regex(output, /✔ articles › label_ids links labels \(exactly those; a missing one is a 422\)/);
    t.regex(output, /✔ labels › article_ids links articles \(exactly those; a missing one is a 422\)/);
    t.regex(output, /✔ labels › note_ids links notes \(exactly those; a missing one is a 422\)/);
    t.notRegex(output, /failed|skipped|todo/);
  });

  test.serial(`${driver}: fastpy db:* and route:list run the project's own tasks`, (t) => {
    const dir = projects.get(driver)!;
    const fastpy = (...args: string[]) => ok(t, run(process.execPath, [BIN, ...args], dir), `fastpy ${args.join(' ')}`);
    t.regex(fastpy('db:status'), new RegExp(`^${migrationCount(driver)} migrations run, 0 pending`, 'm'));
    const routes = JSON.parse(fastpy('route:list', '--json')) as Array<{
      method: string;
      path: string;
      name: string;
      protected: boolean;
    }>;
    t.like(
      routes.find((route) => route.name === 'articles.index'),
      { method: 'GET', path: '/api/articles', protected: true },
    );
    t.like(
      routes.find((route) => route.name === 'articles.upload_cover'),
      { method: 'POST', path: '/api/articles/:id/cover', protected: true },
    );
    t.like(
      routes.find((route) => route.name === 'comments.store'),
      { method: 'POST', protected: false },
    );
    // Comment's foreign key to articles gives Article's routes the comments of one article, behind Article's token.
    t.like(
      routes.find((route) => route.name === 'articles.comments.index'),
      { method: 'GET', path: '/api/articles/:id/comments', protected: true },
    );
    t.like(
      routes.find((route) => route.name === 'articles.comments.store'),
      { method: 'POST', path: '/api/articles/:id/comments', protected: true },
    );
    t.like(
      routes.find((route) => route.name === 'notes.index'),
      { method: 'GET', path: '/api/notes', protected: true },
    );
    t.regex(fastpy('route:list'), /^METHOD +PATH +NAME +AUTH +HANDLER$/m);
    t.regex(
      fastpy('db:seed', '--seeder', 'User', '--count', '2'),
      /Ran 1 seeder \(2 records each\)\n {2}✓ 00_users\.ts/,
    );
    // A large count shows progress (here without a terminal: a line each quarter).
    if (driver === 'sqlite')
      t.regex(
        fastpy('db:seed', '--seeder', 'Comment', '--count', '200'),
        /Seeding comments: 50\/200 \(25%\)\n[\s\S]*Seeding comments: 200\/200 \(100%\)\n/,
      );
    t.regex(fastpy('db:rollback', '--steps', '1'), /Rolled back 1 migration/);
    t.regex(fastpy('db:status'), / 1 pending/);
    t.regex(fastpy('db:migrate'), /run: 1 migration/);
    t.regex(
      fastpy('db:fresh', '--seed'),
      new RegExp(`Ran ${migrationCount(driver)} migrations\\nRan ${seederCount(driver)} seeders`),
    );
    // Articles were made before labels: the labels' seeder (run after both) links them.
    t.true(tableRows(t, dir, 'article_label', ['article_id', 'label_id'], 'article_id').length > 0, 'seeded links');
    const doctor = fastpy('doctor');
    for (const line of [
      'dependencies installed',
      '.env present',
      'settings are valid',
      'database reachable',
      'no pending migrations',
    ])
      t.regex(doctor, new RegExp(`^✓ ${line.replace('.', '\\.')}`, 'm'), line);
    if (driver === 'postgresql') t.regex(doctor, /^✓ Redis reachable/m);
  });

  test.serial(
    `${driver}: a resource with rows grows and changes shape step by step; every step migrates with the data kept, rolls back, and passes its tests`,
    (t) => {
      const dir = projects.get(driver)!;
      const fastpy = (...args: string[]) => run(process.execPath, [BIN, ...args], dir);
      const migrationFiles = () => readdirSync(join(dir, 'src', 'database', 'migrations')).sort();
      t.regex(
        ok(t, run('npm', ['run', 'seed'], dir, { SEED_COUNT: '3' }), 'npm run seed'),
        new RegExp(`Ran ${seederCount(driver)} seed files`),
      );
      const COLUMNS = [
        'id',
        'title',
        'price',
        'slug',
        'published',
        'body',
        'starts_at',
        'release_date',
        'meta',
        'cover',
      ];
      const before = tableRows(t, dir, 'articles', COLUMNS);
      t.true(before.length >= 3);
      t.true(
        before.some((row) => row.body !== null) && before.some((row) => row.cover !== null),
        'the columns that move or go hold values',
      );
      const ids = new Set(before.map((row) => row.id));
      /** The seeded rows now, with the columns under the names they have at this step. */
      const rows = (names: Record<string, string> = {}) =>
        tableRows(
          t,
          dir,
          'articles',
          COLUMNS.filter((column) => names[column] !== '').map((column) => names[column] ?? column),
        )
          .filter((row) => ids.has(row.id))
          .map((row) =>
            Object.fromEntries(
              COLUMNS.filter((column) => names[column] !== '').map((column) => [column, row[names[column] ?? column]]),
            ),
          );
      const seeded = (names: Record<string, string> = {}) =>
        before.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => names[column] !== '')));

      /** Column names as they are before each step ('' for a column that is gone). */
      let names: Record<string, string> = {};
      const step = (what: string, args: string[], after: Record<string, string>, check?: () => void) => {
        const made = ok(t, fastpy('make:resource', 'Article', ...args), `${what}: make:resource`);
        t.notRegex(made, /^ *drop +(?!cover )\S/m, `${what}: nothing else is dropped`);
        if (after.cover === '') t.regex(made, /^ *drop +cover /m);
        t.regex(ok(t, run('npx', ['knex', 'migrate:latest'], dir), `${what}: migrate`), /Batch \d+ run: 1 migrations/);
        t.deepEqual(rows(after), seeded(after), `${what}: every surviving value is kept`);
        check?.();
        t.regex(
          ok(t, run('npx', ['knex', 'migrate:rollback'], dir), `${what}: roll back`),
          /rolled back: 1 migrations/,
        );
        // Rolling back brings a dropped column back, empty: its values went with it.
        const lost = Object.keys(after).filter((column) => after[column] === '' && names[column] !== '');
        t.deepEqual(
          rows(names),
          seeded(names).map((row) => ({ ...row, ...Object.fromEntries(lost.map((column) => [column, null])) })),
          `${what}: rolled back, the table is as it was`,
        );
        ok(t, run('npx', ['knex', 'migrate:latest'], dir), `${what}: migrate again`);
        const tested = ok(
          t,
          run('npx', ['ava', 'tests/articles.test.ts'], dir, testEnv),
          `${what}: the resource's tests`,
        );
        t.notRegex(tested, /failed/);
        names = after;
      };

      step('add a field', ['-f', 'subtitle:string:nullable', '-p'], {}, () => {
        t.deepEqual(
          tableRows(t, dir, 'articles', ['subtitle']).map((row) => row.subtitle),
          before.map(() => null),
        );
      });
      step('widen a field', ['-f', 'title:string:required,max:200,min:3'], {});
      step(
        'rename two fields (one of them unique)',
        ['--rename-field', 'body:content', '--rename-field', 'slug:handle'],
        { body: 'content', slug: 'handle' },
      );

      // Removing drops data: without a terminal it needs --allow-data-loss, and nothing is written until then.
      const files = migrationFiles();
      const refused = fastpy('make:resource', 'Article', '--remove-field', 'cover');
      t.is(refused.status, 1);
      t.regex(
        refused.stderr,
        /drops cover \(image, string\(2048\), nullable\): its values are deleted[\s\S]*--allow-data-loss[\s\S]*Nothing was written/,
      );
      t.deepEqual(migrationFiles(), files);
      step('remove a field', ['--remove-field', 'cover', '--allow-data-loss'], {
        body: 'content',
        slug: 'handle',
        cover: '',
      });

      t.deepEqual(
        JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-fastpy'].resources.Article.fields.filter(
          (spec: string) => /^(title|content|handle|subtitle|cover):/.test(spec),
        ),
        [
          'title:string:required,max:200,min:3',
          'content:text:nullable',
          'handle:slug:required,unique',
          'subtitle:string:nullable',
        ],
      );
      ok(t, run('npx', ['tsc', '--noEmit'], dir), 'tsc --noEmit after the changes');
      ok(t, run('npm', ['run', 'lint'], dir), 'npm run lint after the changes');
      const output = ok(t, run('npm', ['test'], dir, testEnv), 'npm test after the changes');
      t.notRegex(output, /failed/);
    },
  );
}

if (testDrivers().includes('sqlite')) {
  test.serial(
    'sqlite: making a column required asks the database: rows without a value stop it, a default fills them',
    (t) => {
      const dir = projects.get('sqlite')!;
      const fastpy = (...args: string[]) => run(process.execPath, [BIN, ...args], dir);
      ok(
        t,
        fastpy('make:resource', 'Memo', '-f', 'title:string:required', '-f', 'note:string:nullable', '-m'),
        'make:resource Memo',
      );
      ok(t, fastpy('db:migrate'), 'db:migrate');
      const insert =
        "import { readSettings } from './src/config/index.ts'; import { createDatabase } from 'fastpy-runtime/database'; const db = createDatabase(readSettings().database); await db('memos').insert([{ title: 'a', note: null }, { title: 'b', note: null }, { title: 'c', note: 'kept' }]); await db.destroy();";
      ok(t, run('node', ['--import', 'tsx', '--input-type=module', '-e', insert], dir), 'inserting memos');
      const refused = fastpy('make:resource', 'Memo', '-f', 'note:string:required');
      t.is(refused.status, 1);
      t.regex(
        refused.stderr,
        /makes note required: 2 rows have no value, which stops the migration until they have one[\s\S]*--allow-data-loss/,
      );
      ok(t, fastpy('make:resource', 'Memo', '-f', 'note:string:default:none'), 'a default instead');
      ok(t, fastpy('db:migrate'), 'migrate: the default fills the rows without a value');
      t.deepEqual(tableRows(t, dir, 'memos', ['title', 'note']), [
        { title: 'a', note: 'none' },
        { title: 'b', note: 'none' },
        { title: 'c', note: 'kept' },
      ]);
      ok(t, fastpy('make:resource', 'Memo', '--remove', '--yes', '--force'), 'remove Memo');
      ok(t, fastpy('db:migrate'), 'drop memos');
    },
  );

  test.serial(
    'sqlite: --remove of a resource whose migration never ran deletes that migration instead of dropping its table',
    (t) => {
      const dir = projects.get('sqlite')!;
      const fastpy = (...args: string[]) =>
        ok(t, run(process.execPath, [BIN, ...args], dir), `fastpy ${args.join(' ')}`);
      const migrations = () =>
        readdirSync(join(dir, 'src', 'database', 'migrations')).filter((file) => file.includes('widgets'));
      fastpy('make:resource', 'Widget', '-f', 'name:string:required', '-m');
      t.is(migrations().length, 1);
      t.regex(
        fastpy('make:resource', 'Widget', '--remove', '--yes'),
        /delete +src\/database\/migrations\/\d{14}_create_widgets_table\.ts/,
      );
      t.deepEqual(migrations(), [], 'no drop migration beside a create migration that never ran');
      t.regex(fastpy('db:status'), / 0 pending/);
      // Once migrated, removing it drops the table in a new migration.
      fastpy('make:resource', 'Widget', '-f', 'name:string:required', '-m');
      fastpy('db:migrate');
      t.regex(fastpy('make:resource', 'Widget', '--remove', '--yes'), /drops widgets/);
      t.true(migrations().some((file) => file.includes('_drop_widgets_table')));
      t.regex(fastpy('db:migrate'), /run: 1 migration/);
    },
  );

  test.serial(
    'sqlite: unlinking a many-to-many whose pivot never ran deletes its migration; a linked resource is removed in one step',
    (t) => {
      const dir = projects.get('sqlite')!;
      const fastpy = (...args: string[]) =>
        ok(t, run(process.execPath, [BIN, ...args], dir), `fastpy ${args.join(' ')}`);
      const pivots = () =>
        readdirSync(join(dir, 'src', 'database', 'migrations')).filter((file) => file.includes('gadget_part'));
      fastpy('make:resource', 'Part', '-f', 'name:string:required', '-m');
      fastpy('make:resource', 'Gadget', '-f', 'name:string:required', '-m');
      fastpy('db:migrate');
      fastpy('make:resource', 'Gadget', '--belongs-to-many', 'Part');
      t.is(pivots().length, 1);
      // No terminal and no --allow-data-loss: a table that was never made has no links to lose.
      const unlinked = fastpy('make:resource', 'Gadget', '--remove-belongs-to-many', 'Part');
      t.regex(unlinked, /delete +src\/database\/migrations\/\d{14}_create_gadget_part_table\.ts/);
      t.notRegex(unlinked, /npm run migrate/, 'nothing to migrate');
      t.deepEqual(pivots(), [], 'no drop migration beside a create migration that never ran');
      const stored = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-fastpy'].resources.Gadget;
      t.false('belongsToMany' in stored);
      t.false(
        stored.migrations.some((file: string) => file.includes('gadget_part')),
        'the deleted migration is not in its history',
      );
      t.regex(fastpy('db:status'), / 0 pending/);
      // Once migrated, unlinking drops the table in a new migration, its links confirmed.
      fastpy('make:resource', 'Gadget', '--belongs-to-many', 'Part');
      fastpy('db:migrate');
      const refused = run(process.execPath, [BIN, 'make:resource', 'Gadget', '--remove-belongs-to-many', 'Part'], dir);
      t.is(refused.status, 1);
      t.regex(refused.stderr, /drops the pivot table gadget_part[\s\S]*--allow-data-loss/);
      fastpy('make:resource', 'Gadget', '--remove-belongs-to-many', 'Part', '--allow-data-loss');
      t.true(pivots().some((file) => file.includes('_drop_gadget_part_table')));
      t.regex(fastpy('db:migrate'), /run: 1 migration/);
      // Linked again and migrated, Part is removed in one step: the pivot dropped before its table.
      fastpy('make:resource', 'Gadget', '--belongs-to-many', 'Part');
      fastpy('db:migrate');
      const removed = fastpy('make:resource', 'Part', '--remove', '--yes');
      t.regex(removed, /npm run migrate {3}\(drops gadget_part, parts: their rows are deleted\)/);
      t.regex(fastpy('db:migrate'), /run: 2 migrations/);
      t.false(
        'belongsToMany' in
          JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-fastpy'].resources.Gadget,
      );
      ok(t, run('npx', ['tsc', '--noEmit'], dir), 'tsc --noEmit after removing a linked resource');
      fastpy('make:resource', 'Gadget', '--remove', '--yes');
      fastpy('db:migrate');
      t.regex(fastpy('db:status'), / 0 pending/);
    },
  );
}

/** A request that cannot hang the suite, with its JSON body read. */
async function http(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts a server command and waits until /health/ answers; returns the process and the response. */
async function startServer(
  command: string,
  args: string[],
  cwd: string,
  port: number,
  envPort = port,
  env: NodeJS.ProcessEnv = {},
) {
  // Its own process group, so stopping it also stops what it started (npm → tsx → node).
  const child = spawn(command, args, {
    cwd,
    detached: true,
    env: { ...process.env, NODE_ENV: undefined, PORT: String(envPort), LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = (signal: NodeJS.Signals) => process.kill(-child.pid!, signal);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Polling only detects readiness; giving up after a minute only stops a hang.
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/`, { signal: AbortSignal.timeout(5_000) });
      return { child, stop, response, exited, output: () => output };
    } catch {
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  stop('SIGKILL');
  throw new Error(`the server did not start:\n${output}`);
}

/** The built SQLite project's server (stopped at the test's end): its base URL and its /openapi.json. */
async function builtServerDocument(t: ExecutionContext): Promise<{ base: string; document: Record<string, any> }> {
  const server = await startServer('node', ['dist/server.js'], projects.get('sqlite')!, await freePort());
  t.teardown(() => server.stop('SIGKILL'));
  const base = server.response.url.replace('/health/', '');
  return { base, document: (await http(`${base}/openapi.json`)).body };
}

if (testDrivers().includes('sqlite')) {
  test.serial('sqlite: npm run build, then npm start serves and shuts down cleanly on SIGTERM', async (t) => {
    const dir = projects.get('sqlite')!;
    ok(t, run('npm', ['run', 'build'], dir), 'npm run build');
    const server = await startServer('node', ['dist/server.js'], dir, await freePort());
    t.is(server.response.status, 200);
    t.like(await server.response.json(), { success: true, data: { status: 'ok' } });
    // A client's first session against the running server: register, log in (form), call a protected route.
    const base = server.response.url.replace('/health/', '');
    const email = `e2e-${Date.now()}@example.com`;
    const registered = await http(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // The project gave users a required phone (make:resource User): registration takes it.
      body: JSON.stringify({ name: 'E2E', email, password: 'e2e password 1', phone: '+1 555 0100' }),
    });
    t.is(registered.status, 201, JSON.stringify(registered.body));
    const login = await http(`${base}/api/auth/login`, {
      method: 'POST',
      body: new URLSearchParams({ username: email, password: 'e2e password 1' }),
    });
    t.is(login.body.token_type, 'bearer', JSON.stringify(login.body));
    const me = await http(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${login.body.access_token}` } });
    t.like(me.body, { success: true, data: { email, phone: '+1 555 0100' } });
    t.is((await http(`${base}/api/auth/me`)).status, 401);
    server.stop('SIGTERM');
    t.is(await server.exited, 0, server.output());
    t.regex(server.output(), /shut down cleanly/);
  });

  test.serial(
    'sqlite: SIGTERM stops accepting, finishes the request in flight, closes the pool and exits 0',
    async (t) => {
      const dir = projects.get('sqlite')!;
      const port = await freePort();
      const server = await startServer('node', ['dist/server.js'], dir, port);
      // A request in flight: its headers and half its body sent, the rest to follow after SIGTERM.
      const body = JSON.stringify({
        name: 'In flight',
        email: `inflight-${Date.now()}@example.com`,
        password: 'in flight password',
        phone: '+1 555 0100',
      });
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      let reply = '';
      socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.write(
        `POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 20)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      server.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await t.throwsAsync(
        fetch(`http://127.0.0.1:${port}/health/`, { signal: AbortSignal.timeout(5000) }),
        undefined,
        'no new connections once stopping',
      );
      t.is(server.child.exitCode, null, 'still running while a request is in flight');
      socket.write(body.slice(20));
      await closed;
      t.regex(reply, /^HTTP\/1\.1 201 /, reply);
      t.is(await server.exited, 0, server.output());
      t.regex(server.output(), /SIGTERM received: finishing in-flight requests[\s\S]*shut down cleanly/);
    },
  );

  test.serial(
    "sqlite: the facades' usage examples run in the project through '#libs', also from the build",
    async (t) => {
      const dir = projects.get('sqlite')!;
      // Storage's s3 disk against an S3-compatible server (s3rver) in this process: the examples run without blocking it.
      const s3rver = new S3rver({
        port: 0,
        address: '127.0.0.1',
        silent: true,
        directory: mkdtempSync(join(tmpdir(), 'fastpy-e2e-s3-')),
        configureBuckets: [{ name: 'e2e', configs: [] }],
      });
      const { port } = await s3rver.run();
      const env = {
        ...process.env,
        NODE_ENV: undefined,
        REDIS_URL,
        QUEUE_DRIVER: 'memory',
        S3_BUCKET: 'e2e',
        S3_ENDPOINT: `http://127.0.0.1:${port}`,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      };
      try {
        for (const file of readdirSync(join(dir, 'tests', 'libs-usage'))) {
          const result = await spawnAsync('npx', ['tsx', join('tests', 'libs-usage', file)], { cwd: dir, env });
          t.is(result.status, 0, `the ${file} example:\n${result.stdout}${result.stderr}`);
        }
      } finally {
        await s3rver.close();
      }
      // The built app resolves #libs to dist/ (dist/package.json, written by npm run build).
      const built = ok(
        t,
        run(
          'node',
          [
            '--input-type=module',
            '-e',
            "const { Hash, Crypt } = await import('#libs'); const h = await Hash.make('pw'); console.log(await Hash.check('pw', h), typeof Crypt.encrypt);",
          ],
          join(dir, 'dist'),
        ),
        'import #libs from dist',
      );
      t.regex(built, /^true function$/m);
    },
  );

  test.serial(
    'sqlite: a queued job runs in the worker (npm run worker, and the built one), which stops cleanly on SIGTERM',
    async (t) => {
      const dir = projects.get('sqlite')!;
      ok(t, run('npx', ['knex', 'migrate:latest'], dir), 'migrate (the jobs table)');
      if (!existsSync(join(dir, 'dist', 'worker.js'))) ok(t, run('npm', ['run', 'build'], dir), 'npm run build');
      const push = (email: string) =>
        ok(
          t,
          run(
            'npx',
            [
              'tsx',
              '--input-type=module',
              '-e',
              `import { Queue, closeLibs } from '#libs'; import { SendWelcomeEmail } from './src/jobs/send-welcome-email.ts'; await Queue.push(new SendWelcomeEmail('${email}', 'Wanda')); await closeLibs();`,
            ],
            dir,
          ),
          'pushing a job',
        );
      for (const [command, args] of [
        ['npm', ['run', 'worker']],
        ['node', ['dist/worker.js']],
      ] as const) {
        const email = `worker-${command}@example.com`;
        push(email); // QUEUE_DRIVER defaults to database: the job waits in the jobs table
        const child = spawn(command, [...args], {
          cwd: dir,
          detached: true,
          env: { ...process.env, NODE_ENV: undefined, LOG_PRETTY: 'false' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        for (let waited = 0; !output.includes(`mail to ${email}: Welcome!`) && waited < 30_000; waited += 100)
          await new Promise((resolve) => setTimeout(resolve, 100));
        t.regex(output, new RegExp(`mail to ${email.replace('.', '\\.')}: Welcome!`), output);
        t.regex(output, /worker started: database driver, queues default/);
        if (command === 'node') child.kill('SIGTERM');
        else process.kill(-child.pid!, 'SIGTERM');
        const code = await exited;
        // npm exits with the signal and closes the pipe before its child's last line: the built worker is checked directly.
        if (command === 'node') {
          t.is(code, 0, output);
          t.regex(output, /SIGTERM received: finishing the job in hand[\s\S]*worker stopped cleanly/);
        }
      }
    },
  );

  test.serial('sqlite: npm run dev serves the API', async (t) => {
    const server = await startServer('npm', ['run', 'dev'], projects.get('sqlite')!, await freePort());
    t.is(server.response.status, 200);
    t.truthy(server.response.headers.get('x-request-id'));
    const missing = await http(server.response.url.replace('/health/', '/nowhere'));
    t.is(missing.status, 404);
    t.like(missing.body, { success: false, error_code: 'NOT_FOUND' });
    // The OpenAPI document: valid 3.1, and every route `fastpy route:list` shows is in it.
    const openapi = await http(server.response.url.replace('/health/', '/openapi.json'));
    t.is(openapi.status, 200);
    const validation = await new Validator().validate(openapi.body as never);
    t.true(validation.valid, JSON.stringify(validation.errors));
    const routes = JSON.parse(
      ok(t, run(process.execPath, [BIN, 'route:list', '--json'], projects.get('sqlite')!), 'route:list'),
    ) as Array<{ method: string; path: string }>;
    const paths = (openapi.body as { paths: Record<string, Record<string, unknown>> }).paths;
    for (const route of routes)
      t.truthy(
        paths[route.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/']?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      );
    t.truthy((openapi.body as { components: { schemas: Record<string, unknown> } }).components.schemas.ArticleCreate);
    // /docs and its assets come from the project's own swagger-ui-dist.
    const docs = await fetch(server.response.url.replace('/health/', '/docs'));
    t.is(docs.status, 200);
    t.is((await fetch(server.response.url.replace('/health/', '/docs/assets/swagger-ui-bundle.js'))).status, 200);
    // Development logs a line per request.
    t.regex(server.output(), /"msg":"GET \/nowhere 404 \d+\.\dms"/);

    // A second dev server on the same port: one line that says what to do, no stack.
    const port = new URL(server.response.url).port;
    const second = spawn('npm', ['run', 'dev'], {
      cwd: projects.get('sqlite')!,
      detached: true,
      env: { ...process.env, NODE_ENV: undefined, PORT: port, LOG_PRETTY: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let secondOutput = '';
    second.stdout.on('data', (chunk) => (secondOutput += chunk));
    second.stderr.on('data', (chunk) => (secondOutput += chunk));
    for (let wait = 0; wait < 300 && !/already in use/.test(secondOutput); wait++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    process.kill(-second.pid!, 'SIGKILL');
    t.regex(
      secondOutput,
      new RegExp(`cannot listen: port ${port} is already in use: stop what uses it, or set PORT in \\.env`),
    );
    t.notRegex(secondOutput, /\n\s+at /, 'no stack');

    // Editing .env restarts the dev server with the new setting.
    const envFile = join(projects.get('sqlite')!, '.env');
    const env = readFileSync(envFile, 'utf8');
    t.teardown(() => writeFileSync(envFile, env));
    writeFileSync(envFile, env.replace(/^APP_NAME=.*$/m, 'APP_NAME=renamed-in-env'));
    let name = '';
    for (let wait = 0; wait < 300 && name !== 'renamed-in-env'; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      name = await http(server.response.url.replace('/health/', '/health/info')).then(
        (answer) => String(answer.body.data?.name),
        () => '',
      );
    }
    t.is(name, 'renamed-in-env', 'the server restarted on the .env change');
    writeFileSync(envFile, env);
    server.stop('SIGTERM');
    await server.exited;
  });

  test.serial(
    'sqlite: the running app does what /openapi.json documents, route by route (every field type)',
    async (t) => {
      const { base, document } = await builtServerDocument(t);
      const check = openApiChecker(document);
      const paths = document.paths as Record<string, Record<string, Record<string, any>>>;
      const called = new Set<string>();
      /** Calls a documented operation and holds the answer to the document: a documented status, a body valid by its schema. */
      const call = async (
        method: string,
        path: string,
        options: {
          params?: Record<string, string | number>;
          body?: unknown;
          form?: boolean;
          file?: Blob;
          token?: string;
        } = {},
      ) => {
        called.add(`${method} ${path}`);
        const url = base + path.replace(/\{(\w+)\}/g, (_match, name: string) => String(options.params?.[name] ?? 1));
        const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
        let body: FormData | URLSearchParams | string | undefined;
        if (options.file) {
          body = new FormData();
          body.append('file', options.file, 'report.pdf');
        } else if (options.form) body = new URLSearchParams(options.body as Record<string, string>);
        else if (options.body !== undefined) {
          headers['content-type'] = 'application/json';
          body = JSON.stringify(options.body);
        }
        const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(15_000) });
        const type = (response.headers.get('content-type') ?? '').split(';')[0]!;
        const payload = type === 'application/json' ? await response.json() : await response.text();
        t.deepEqual(
          check.response(method, path, response.status, payload, type),
          [],
          JSON.stringify(payload).slice(0, 800),
        );
        return { status: response.status, body: payload as Record<string, any> };
      };
      const requestExample = (method: string, path: string) => {
        const content = paths[path]![method.toLowerCase()]!.requestBody?.content as
          Record<string, { schema: Record<string, any> }> | undefined;
        return content ? check.example(Object.values(content)[0]!.schema) : undefined;
      };

      // A client's session, built from the document alone: register and log in with the documented bodies.
      const email = `docs-${Date.now()}@example.com`;
      const account: Record<string, string> = {
        ...(requestExample('POST', '/api/auth/register') as Record<string, string>),
        email,
      };
      t.is((await call('POST', '/api/auth/register', { body: account })).status, 201);
      const login = await call('POST', '/api/auth/login', {
        form: true,
        body: { username: email, password: account.password! },
      });
      t.is(login.status, 200);
      const token = login.body.access_token as string;

      // The resource with every field type: the create schema's example is accepted as it stands.
      const example = requestExample('POST', '/api/articles');
      const created = await call('POST', '/api/articles', { body: example, token });
      t.is(created.status, 201, JSON.stringify(created.body));
      const id = created.body.data.id as number;
      for (const [name, value] of Object.entries(example as Record<string, unknown>)) {
        if (name !== 'meta' && typeof value !== 'number') t.is(String(created.body.data[name]), String(value), name);
      }
      t.is(
        (await call('POST', '/api/articles', { body: example, token })).status,
        409,
        'the unique fields clash the second time',
      );
      t.is((await call('GET', '/api/articles', { token })).status, 200);
      t.is((await call('GET', '/api/articles/{id}', { params: { id }, token })).status, 200);
      t.is((await call('PUT', '/api/articles/{id}', { params: { id }, body: example, token })).status, 200);
      t.is(
        (
          await call('PATCH', '/api/articles/{id}', {
            params: { id },
            body: { title: 'Patched from the document' },
            token,
          })
        ).status,
        200,
      );
      t.is((await call('PATCH', '/api/articles/{id}', { params: { id }, body: { title: 'x' }, token })).status, 422);
      t.is((await call('GET', '/api/articles/{id}', { params: { id: 999_999 }, token })).status, 404);
      t.is((await call('GET', '/api/articles', {})).status, 401);
      const uploaded = await call('POST', '/api/articles/{id}/attachment', {
        params: { id },
        file: new Blob(['%PDF-1.4 e2e'], { type: 'application/pdf' }),
        token,
      });
      t.is(uploaded.status, 200);
      t.regex(uploaded.body.data.attachment, new RegExp(`^uploads/articles/${id}/`));
      t.is((await call('DELETE', '/api/articles/{id}', { params: { id }, token })).status, 200);
      t.is((await call('POST', '/api/articles/{id}/restore', { params: { id }, token })).status, 200);
      t.is((await call('DELETE', '/api/articles/{id}/force', { params: { id }, token })).status, 200);

      // Every other documented operation, called with the document's own examples (logout last: it ends the session).
      const operations = Object.entries(paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => [method.toUpperCase(), path] as const),
      );
      const rest = operations.filter(
        ([method, path]) => !called.has(`${method} ${path}`) && path !== '/api/auth/logout',
      );
      for (const [method, path] of [...rest, ['POST', '/api/auth/logout'] as const]) {
        const operation = paths[path]![method.toLowerCase()]!;
        const content = Object.keys(operation.requestBody?.content ?? {})[0];
        const params = { file: 'swagger-ui.css', id: 1 };
        const { status } = await call(method, path, {
          params,
          body: requestExample(method, path),
          form: content === 'application/x-www-form-urlencoded',
          file: content === 'multipart/form-data' ? new Blob(['x']) : undefined,
          token,
        });
        t.true(status < 500, `${method} ${path}: ${status}`);
      }
      t.is(called.size, operations.length, 'every documented operation was called');
      t.is((await call('GET', '/api/auth/me', { token })).status, 401, 'logged out');
    },
  );

  test.serial(
    'sqlite: /openapi.json passes Spectral and Redocly; a client generated from it by openapi-typescript type-checks and runs a session through openapi-fetch',
    async (t) => {
      const { base, document } = await builtServerDocument(t);
      t.deepEqual(await spectralFindings(document), [], 'spectral:oas');
      t.deepEqual(await redoclyFindings(document), [], 'redocly recommended');
      // The client: types generated with openapi-typescript's default options, beside the session script.
      const client = join(workspace, 'typed-client');
      cpSync(TYPED_CLIENT, client, { recursive: true });
      symlinkSync(join(REPO, 'node_modules'), join(client, 'node_modules'));
      writeFileSync(join(client, 'package.json'), '{ "type": "module", "private": true }\n');
      ok(
        t,
        run(
          join(REPO, 'node_modules', '.bin', 'openapi-typescript'),
          [`${base}/openapi.json`, '-o', 'api.d.ts'],
          client,
        ),
        'openapi-typescript',
      );
      ok(
        t,
        run(join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], client),
        'the typed session type-checks',
      );
      t.regex(
        ok(
          t,
          run(process.execPath, ['--import', 'tsx', 'session.ts'], client, { API_URL: base }),
          'the typed session runs',
        ),
        /all as documented/,
      );
    },
  );

  // Where the machine has no Chromium the test is skipped with ava's notice; CI installs it and sets FASTPY_REQUIRE_BROWSER.
  (chromiumPath || browserRequired ? test.serial : test.serial.skip)(
    'sqlite: /docs in headless Chromium: loads clean, "Authorize" logs in through the password flow, routes run from the page',
    async (t) => {
      const dir = projects.get('sqlite')!;
      const server = await startServer('node', ['dist/server.js'], dir, await freePort());
      t.teardown(() => server.stop('SIGKILL'));
      const base = server.response.url.replace('/health/', '');
      const email = `browser-${Date.now()}@example.com`;
      const password = 'browser password 1';
      t.is(
        (
          await http(`${base}/api/auth/register`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ name: 'Browser', email, password, phone: '+1 555 0100' }),
          })
        ).status,
        201,
      );

      const browser = await launchChromium();
      t.teardown(() => browser.close());
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning')
          problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) =>
        problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
      );
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
      });
      const shot = (name: string) =>
        page.screenshot({ path: join(ARTIFACTS, `docs-${name}.png`), fullPage: name === 'loaded' });
      mkdirSync(ARTIFACTS, { recursive: true });

      await page.goto(`${base}/docs`);
      await page.waitForSelector('.opblock', { timeout: 30_000 });
      t.regex(await page.locator('.info .title').innerText(), /e2e-sqlite/);
      const documented = Object.values(
        (await http(`${base}/openapi.json`)).body.paths as Record<string, object>,
      ).reduce((count, methods) => count + Object.keys(methods).length, 0);
      t.is(await page.locator('.opblock').count(), documented, 'every operation is on the page');
      await shot('loaded');

      // "Authorize": the OAuth2 password flow against /api/auth/login.
      await page.click('.auth-wrapper .authorize');
      await page.fill('#oauth_username', email);
      await page.fill('#oauth_password', password);
      await page.click('button[aria-label="Apply given OAuth2 credentials"]');
      await page.waitForSelector('button[aria-label="Remove authorization"]', { timeout: 15_000 });
      await shot('authorized');
      await page.click('.modal-ux .btn-done');

      /** Opens an operation, "Try it out", "Execute": the status the page shows and the body it got. */
      const tryOut = async (operationId: string) => {
        const block = page.locator(`[id="operations-${operationId.split('_')[0]}-${operationId}"]`);
        await block.locator('.opblock-summary').click();
        await block.locator('.try-out__btn').click();
        await block.locator('.execute').click();
        const status = block.locator('.live-responses-table tbody .response-col_status').first();
        await status.waitFor({ timeout: 15_000 });
        return {
          status: (await status.innerText()).trim(),
          body: await block.locator('.live-responses-table tbody .response-col_description pre').first().innerText(),
        };
      };
      const me = await tryOut('auth_me');
      t.is(me.status, '200', me.body);
      t.true(me.body.includes(email), me.body);
      // The resource with every field type: its create example, prefilled by the page, is accepted.
      const created = await tryOut('articles_store');
      t.is(created.status, '201', created.body);
      const listed = await tryOut('articles_index');
      t.is(listed.status, '200', listed.body);
      await shot('called');
      t.deepEqual(problems, [], 'no failed requests, no console errors or warnings');
    },
  );

  test.serial('sqlite: fastpy serve runs the dev server on the given port', async (t) => {
    const port = await freePort();
    // PORT in the environment says otherwise: --port must win.
    const server = await startServer(
      'node',
      [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1'],
      projects.get('sqlite')!,
      port,
      await freePort(),
    );
    t.is(server.response.status, 200);
    server.stop('SIGTERM');
    await server.exited;
  });

  test.serial(
    'sqlite: fastpy ai -e plans offline, generates, migrates, and the new resources pass their own tests',
    (t) => {
      const dir = projects.get('sqlite')!;
      const env = { FASTPY_CONFIG: join(workspace, 'no-config.json'), FASTPY_AI_PROVIDER: undefined };
      const output = ok(
        t,
        run(
          process.execPath,
          [BIN, 'ai', 'A shop with brands, products and their reviews for signed-in users', '-e'],
          dir,
          env,
        ),
        'fastpy ai -e',
      );
      t.regex(output, /\[1\/4\] fastpy make:resource Brand[\s\S]*\[4\/4\] fastpy db:migrate[\s\S]*Done: 4 steps\./);
      t.regex(readFileSync(join(dir, 'src/models/review.ts'), 'utf8'), /product_id[\s\S]*user_id/);
      ok(
        t,
        run('npx', ['ava', 'tests/brands.test.ts', 'tests/products.test.ts', 'tests/reviews.test.ts'], dir),
        "the planned resources' tests",
      );
      ok(t, run('npx', ['tsc', '--noEmit'], dir), 'tsc --noEmit after fastpy ai');
    },
  );

  test.serial(
    'sqlite: the project is a git repository from its first commit; committed and cloned, nothing is missing and its tests pass',
    (t) => {
      const dir = projects.get('sqlite')!;
      const git = (cwd: string, ...args: string[]) =>
        ok(t, run('git', args, cwd, GIT_IDENTITY), `git ${args.join(' ')}`);
      t.regex(
        git(dir, 'log', '--reverse', '--format=%s').split('\n')[0]!,
        /^Initial commit: e2e-sqlite from generator-fastpy /,
      );
      // What the generators wrote since, committed as an owner would: every file of src/ and tests/ goes in.
      git(dir, 'add', '--all');
      git(dir, 'commit', '--quiet', '-m', 'Resources and everything the e2e steps made');
      const tracked = new Set(git(dir, 'ls-files').split('\n'));
      const files = (folder: string) =>
        (readdirSync(join(dir, folder), { recursive: true }) as string[])
          .map((file) => join(folder, file))
          .filter((file) => statSync(join(dir, file)).isFile());
      const untracked = [...files('src'), ...files('tests')].filter((file) => !tracked.has(file));
      t.deepEqual(untracked, [], 'ignored by .gitignore, so lost to a clone');
      const clone = join(workspace, 'e2e-sqlite-clone');
      git(workspace, 'clone', '--quiet', dir, clone);
      symlinkSync(realpathSync(join(dir, 'node_modules')), join(clone, 'node_modules'));
      ok(t, run('npx', ['tsc', '--noEmit'], clone), 'tsc --noEmit in the clone');
      const output = ok(t, run('npm', ['test'], clone), 'npm test in the clone');
      t.regex(output, /\d+ tests passed/);
      t.notRegex(output, /failed/);
    },
  );

  test.serial('sqlite: a bad .env stops the server with the list of problems', (t) => {
    const dir = projects.get('sqlite')!;
    const result = run('node', ['dist/server.js'], dir, { PORT: 'eighty', RATE_LIMIT_WINDOW: '0' }, 60_000);
    t.is(result.status, 1);
    t.regex(
      result.stderr,
      /Invalid settings[\s\S]*- RATE_LIMIT_WINDOW must be an integer[\s\S]*- PORT must be an integer/,
    );
  });
}

if (testDrivers().includes('mysql')) {
  test.serial(
    'mysql: a project made without the redis feature runs every setting .env.example documents: RATE_LIMIT_STORE=redis once REDIS_URL is set',
    async (t) => {
      const dir = projects.get('mysql')!;
      // Without REDIS_URL, the settings say what is missing (no stack).
      const missing = run(
        'npx',
        ['tsx', 'src/server.ts'],
        dir,
        { RATE_LIMIT_STORE: 'redis', PORT: String(await freePort()) },
        60_000,
      );
      t.is(missing.status, 1);
      t.regex(missing.stderr, /Invalid settings[\s\S]*- RATE_LIMIT_STORE is redis but REDIS_URL is not set/);
      t.notRegex(missing.stderr, /TypeError|\n\s+at /);
      // With it, the limit is counted in Redis.
      const port = await freePort();
      const prefix = `e2e-${process.pid}`;
      const server = await startServer('npx', ['tsx', 'src/server.ts'], dir, port, port, {
        RATE_LIMIT_STORE: 'redis',
        REDIS_URL,
        APP_NAME: prefix,
        RATE_LIMIT_REQUESTS: '5',
      });
      try {
        const answers = [];
        for (let request = 0; request < 6; request++) answers.push(await fetch(`http://127.0.0.1:${port}/api/auth/me`));
        t.deepEqual(
          answers.map((answer) => answer.headers.get('x-ratelimit-remaining')),
          ['4', '3', '2', '1', '0', '0'],
        );
        t.is(answers.at(-1)!.status, 429);
        const { Redis } = await import('ioredis');
        const redis = new Redis(REDIS_URL);
        try {
          t.true((await redis.keys(`${prefix}:ratelimit:*`)).length > 0, 'the counts are in Redis');
        } finally {
          redis.disconnect();
        }
      } finally {
        server.stop('SIGTERM');
        await server.exited;
      }
    },
  );
}
