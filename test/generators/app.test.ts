// The app generator run through yeoman-test: files per database, answers from options, --config,
// prompts and --yes, and bad input stopping before anything is written.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import helpers from 'yeoman-test';
import AppGenerator from '../../generators/app/index.js';
import { PACKAGE_VERSION } from '../../lib/package.js';
import { failing, read, simulateTerminal, tree } from '../helpers/generators.js';

// The class itself (loaded from TypeScript source by tsx); `resolved` locates its templates.
const runApp = () =>
  helpers.run<AppGenerator>(AppGenerator as never, {
    namespace: 'fastpy:app',
    resolved: new URL('../../generators/app/index.ts', import.meta.url).pathname,
  });

const json = (cwd: string, file: string) => JSON.parse(read(cwd, file));

test.serial('--yes writes a SQLite project into ./<name>, with the answers in .yo-rc.json', async (t) => {
  const run = await runApp().withArguments(['my-api']).withOptions({ yes: true, skipInstall: true });
  const project = join(run.cwd, 'my-api');
  const files = tree(project);
  for (const file of [
    'package.json',
    '.gitignore',
    '.env',
    '.env.example',
    '.env.test',
    'knexfile.js',
    'README.md',
    'tsconfig.json',
    `vendor/fastpy-runtime-${PACKAGE_VERSION}.tgz`,
    'src/server.ts',
    'src/bootstrap.ts',
    'src/worker.ts',
    'src/console.ts',
    'src/config/index.ts',
    'src/database/migrations/20260101000000_create_users_table.ts',
    'src/routes/index.ts',
    'src/controllers/.gitkeep',
    'src/enums/.gitkeep',
    'src/seeders/00_users.ts',
    'src/middleware/index.ts',
    'src/factories/index.ts',
    'src/jobs/index.ts',
    'tests/helpers.ts',
    'tests/health.test.ts',
    'tests/auth.test.ts',
    'tests/libs.test.ts',
  ]) {
    t.true(files.includes(file), file);
  }
  // The framework's own tests are fastpy-runtime's (test/runtime/api): a project keeps a smoke test and its resources'.
  t.deepEqual(files.filter((file) => file.startsWith('tests/')).sort(), [
    'tests/auth.test.ts',
    'tests/health.test.ts',
    'tests/helpers.ts',
    'tests/libs.test.ts',
  ]);
  t.true(files.includes('views/mail/welcome.ejs'));
  t.regex(read(project, 'views/mail/welcome.ejs'), /^<h1>Welcome, <%= name %>!<\/h1>$/m);
  t.regex(read(project, '.env'), /^APP_KEY=[A-Za-z0-9_-]{43}=$/m);
  t.like(json(project, '.yo-rc.json')['generator-fastpy'], {
    name: 'my-api',
    database: 'sqlite',
    databaseUrl: 'sqlite:./data/app.db',
    features: ['rate-limit', 'docs'],
    resources: {},
  });
  const env = read(project, '.env');
  t.regex(env, /^DB_DRIVER=sqlite$/m);
  t.regex(env, /^DATABASE_URL="sqlite:\.\/data\/app\.db"$/m);
  t.regex(env, /^SECRET_KEY=[A-Za-z0-9_-]{64}$/m);
  t.regex(env, /^RATE_LIMIT_ENABLED=true$/m);
  t.regex(read(project, '.env.test'), /^DATABASE_URL="sqlite::memory:"$/m);
  t.is(json(project, 'package.json').name, 'my-api');
});

test.serial(
  'committed, a new project keeps every file of src/ and tests/ (its .gitignore is anchored to the root)',
  async (t) => {
    const run = await runApp().withArguments(['git-api']).withOptions({ yes: true, skipInstall: true });
    const project = join(run.cwd, 'git-api');
    // What a first run leaves in the project (ignored on purpose): the SQLite file, a build, uploads, .env.
    for (const dir of ['data', 'dist', 'storage', 'node_modules']) mkdirSync(join(project, dir), { recursive: true });
    for (const file of ['data/app.db', 'dist/server.js', 'storage/upload.png', 'node_modules/x.js'])
      writeFileSync(join(project, file), 'x');
    mkdirSync(join(project, 'src', 'storage'));
    writeFileSync(join(project, 'src', 'storage', 'disk.ts'), 'export {};\n');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: project, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    const tracked = git('ls-files').trim().split('\n');
    t.true(
      tracked.includes('src/storage/disk.ts'),
      "an owner's src/storage/ is not the ignored storage/ (uploads) at the root",
    );
    t.true(
      tracked.includes(`vendor/fastpy-runtime-${PACKAGE_VERSION}.tgz`),
      'the runtime tarball is committed: a clone installs',
    );
    const sources = tree(project).filter((file) => file.startsWith('src/') || file.startsWith('tests/'));
    t.deepEqual(
      sources.filter((file) => !tracked.includes(file)),
      [],
      'every source and test file is tracked',
    );
    t.deepEqual(
      tracked.filter((file) => /^(data|dist|storage|node_modules)\/|^\.env$/.test(file)),
      [],
      'what a run leaves is ignored',
    );
    t.true(tracked.includes('.env.example') && tracked.includes('.env.test'));
  },
);

test.serial(
  "the project depends on fastpy-runtime by its packed tarball: src/ is the owner's code and every migration",
  async (t) => {
    const run = await runApp().withArguments(['package-check']).withOptions({ yes: true, skipInstall: true });
    const project = join(run.cwd, 'package-check');
    const runtime = new URL('../../runtime/', import.meta.url).pathname;
    const tarball = `vendor/fastpy-runtime-${PACKAGE_VERSION}.tgz`;
    t.is(json(project, 'package.json').dependencies['fastpy-runtime'], `file:${tarball}`);
    t.is(json(project, 'package.json').imports['#libs'], 'fastpy-runtime/libs');
    t.true(
      readFileSync(join(project, tarball)).equals(
        readFileSync(new URL(`../../dist/fastpy-runtime-${PACKAGE_VERSION}.tgz`, import.meta.url)),
      ),
      "the build's tarball, byte for byte",
    );
    // The framework's migrations start the project's history, as they are in the package.
    const migrations = tree(join(runtime, 'database', 'migrations')).filter((file) => file.endsWith('.ts'));
    t.true(migrations.length >= 4);
    for (const file of migrations)
      t.is(
        read(join(project, 'src', 'database', 'migrations'), file),
        read(join(runtime, 'database', 'migrations'), file),
        file,
      );
    // No copy of the runtime: nothing in src/ is a runtime source file.
    const copied = tree(join(project, 'src')).filter(
      (file) =>
        !file.startsWith('database/migrations/') &&
        existsSync(join(runtime, file)) &&
        read(join(project, 'src'), file) === read(runtime, file),
    );
    t.deepEqual(copied, []);
    const lines = tree(join(project, 'src'))
      .filter((file) => file.endsWith('.ts'))
      .reduce((sum, file) => sum + read(join(project, 'src'), file).split('\n').length - 1, 0);
    t.true(lines <= 600, `a new project's src/ holds ${lines} lines of TypeScript (goal: at most 600)`);
    t.false(
      tree(project).some(
        (file) =>
          file.endsWith('.js') && file !== 'knexfile.js' && file !== 'eslint.config.js' && !file.startsWith('scripts/'),
      ),
    );
  },
);

for (const [database, url, driverPackage] of [
  ['postgresql', 'postgresql://app:pw@db.internal:5432/shop', 'pg'],
  ['mysql', 'mysql://root@127.0.0.1:3306/shop', 'mysql2'],
] as const) {
  test.serial(`--db ${database} writes its URL, test URL and driver`, async (t) => {
    const run = await runApp()
      .withArguments(['shop'])
      .withOptions({ yes: true, skipInstall: true, db: database, 'database-url': url });
    const project = join(run.cwd, 'shop');
    t.regex(read(project, '.env'), new RegExp(`^DB_DRIVER=${database}$`, 'm'));
    t.true(read(project, '.env').includes(`DATABASE_URL="${url}"`));
    t.true(read(project, '.env.test').includes(`DATABASE_URL="${url.replace('/shop', '/shop_test')}"`));
    const pkg = json(project, 'package.json');
    t.truthy(pkg.dependencies[driverPackage]);
    t.false('better-sqlite3' in pkg.dependencies);
  });
}

test.serial("--db alone picks that database's default URL", async (t) => {
  const run = await runApp()
    .withArguments(['inventory-api'])
    .withOptions({ yes: true, skipInstall: true, db: 'postgres' });
  t.true(
    read(join(run.cwd, 'inventory-api'), '.env').includes(
      'DATABASE_URL="postgresql://postgres@127.0.0.1:5432/inventory_api"',
    ),
  );
});

test.serial('the redis feature adds REDIS_URL and the Redis store; none turns features off', async (t) => {
  const withRedis = await runApp()
    .withArguments(['cache-api'])
    .withOptions({ yes: true, skipInstall: true, features: 'rate-limit,redis' });
  const project = join(withRedis.cwd, 'cache-api');
  t.truthy(json(project, 'package.json').dependencies.ioredis);
  t.truthy(json(project, 'package.json').dependencies.bullmq, 'QUEUE_DRIVER=redis works with the feature');
  t.regex(read(project, '.env'), /^REDIS_URL=redis:\/\/127\.0\.0\.1:6379\/0$/m);
  t.regex(read(project, '.env'), /^RATE_LIMIT_STORE=redis$/m);
  t.regex(read(project, 'src/bootstrap.ts'), /createRedis\(settings\.redisUrl/);

  const plain = await runApp()
    .withArguments(['plain-api'])
    .withOptions({ yes: true, skipInstall: true, features: 'none' });
  const bare = join(plain.cwd, 'plain-api');
  t.false(
    'ioredis' in json(bare, 'package.json').dependencies,
    'no Redis client: fastpy add redis brings it (and BullMQ)',
  );
  t.false('swagger-ui-dist' in json(bare, 'package.json').dependencies, 'no Swagger UI without the docs feature');
  t.notRegex(
    read(bare, '.env'),
    /^REDIS_URL=\S/m,
    'no Redis unless REDIS_URL is set (the client is made whenever it is)',
  );
  t.regex(read(bare, '.env'), /^RATE_LIMIT_ENABLED=false$/m);
  t.regex(read(bare, '.env'), /^DOCS_ENABLED=false$/m);
  // The URL is asked for (or given), not assumed.
  const given = await runApp()
    .withArguments(['cache2-api'])
    .withOptions({ yes: true, skipInstall: true, features: 'redis', 'redis-url': 'rediss://cache.internal:6380/2' });
  t.regex(read(join(given.cwd, 'cache2-api'), '.env'), /^REDIS_URL=rediss:\/\/cache\.internal:6380\/2$/m);
  t.regex(read(join(given.cwd, 'cache2-api'), '.env.test'), /^REDIS_URL=rediss:\/\/cache\.internal:6380\/2$/m);
  const { error } = await failing(
    runApp()
      .withArguments(['cache3-api'])
      .withOptions({ yes: true, skipInstall: true, features: 'redis', 'redis-url': 'http://cache' }),
  );
  t.regex(error.message, /--redis-url: "http:\/\/cache" is not a Redis URL/);
});

test.serial('--config answers from a JSON file', async (t) => {
  const run = await runApp()
    .withArguments(['configured'])
    .onTargetDirectory((dir) =>
      writeFileSync(
        join(dir, 'answers.json'),
        JSON.stringify({
          description: 'From a file',
          database: 'mysql',
          databaseUrl: 'mysql://root@127.0.0.1:3306/configured',
          features: ['docs'],
          frontendUrl: 'https://app.example.com/',
          install: false,
        }),
      ),
    )
    .withOptions({ config: 'answers.json' });
  const project = join(run.cwd, 'configured');
  t.like(json(project, '.yo-rc.json')['generator-fastpy'], {
    description: 'From a file',
    database: 'mysql',
    databaseUrl: 'mysql://root@127.0.0.1:3306/configured',
    features: ['docs'],
    frontendUrl: 'https://app.example.com',
  });
  t.regex(read(project, '.env'), /^FRONTEND_URL=https:\/\/app\.example\.com$/m);
});

test.serial('with a terminal, the questions not answered by options are asked', async (t) => {
  const restore = simulateTerminal(true);
  try {
    const run = await runApp()
      .withOptions({ skipInstall: true, db: 'mysql' })
      .withAnswers({
        name: 'asked-api',
        description: 'Asked',
        databaseUrl: 'mysql://app@10.0.0.5:3306/asked',
        features: ['rate-limit'],
        frontendUrl: '',
      });
    // No name argument: the project is written in the current directory.
    t.like(json(run.cwd, '.yo-rc.json')['generator-fastpy'], {
      name: 'asked-api',
      description: 'Asked',
      database: 'mysql',
      databaseUrl: 'mysql://app@10.0.0.5:3306/asked',
      features: ['rate-limit'],
    });
    t.true(existsSync(join(run.cwd, 'src/server.ts')));
    t.regex(
      run.askedQuestions.map((question) => question.name).join(','),
      /^name,description,databaseUrl,features,frontendUrl$/,
    );
    t.regex(read(run.cwd, '.env'), /^FRONTEND_URL=$/m, "no frontend: the e-mails link to the API's own pages");
    // With the redis feature chosen, its URL is asked for next.
    const redis = await runApp()
      .withOptions({ skipInstall: true, db: 'sqlite' })
      .withAnswers({
        name: 'redis-api',
        description: 'R',
        databaseUrl: 'sqlite:./data/app.db',
        features: ['redis'],
        redisUrl: 'redis://10.0.0.9:6379/1',
        frontendUrl: '',
      });
    t.regex(
      redis.askedQuestions.map((question) => question.name).join(','),
      /^name,description,databaseUrl,features,redisUrl,frontendUrl$/,
    );
    t.regex(read(redis.cwd, '.env'), /^REDIS_URL=redis:\/\/10\.0\.0\.9:6379\/1$/m);
  } finally {
    restore();
  }
});

test.serial(
  'without a terminal and without answers it stops at once, naming the options, and writes nothing',
  async (t) => {
    const restore = simulateTerminal(false);
    try {
      const { error, dir } = await failing(runApp().withArguments(['silent-api']).withOptions({ skipInstall: true }));
      t.regex(error.message, /No terminal to ask questions on/);
      t.regex(error.message, /--db <sqlite\|postgresql\|mysql>/);
      t.regex(error.message, /--yes/);
      t.deepEqual(readdirSync(dir), []);
    } finally {
      restore();
    }
  },
);

test.serial('bad option values are refused before anything is written', async (t) => {
  for (const [options, message] of [
    [{ db: 'oracle' }, /--db: "oracle" is not one of sqlite, postgresql, mysql/],
    [
      { db: 'postgresql', 'database-url': 'mysql://root@h/x' },
      /--database-url: a postgresql URL must start with postgresql: or postgres:/,
    ],
    [{ features: 'rate-limit,graphql' }, /--features: unknown "graphql"/],
  ] as const) {
    const { error, dir } = await failing(
      runApp()
        .withArguments(['bad-api'])
        .withOptions({ yes: true, skipInstall: true, ...options }),
    );
    t.regex(error.message, message);
    t.deepEqual(readdirSync(dir), []);
  }
  const { error } = await failing(runApp().withArguments(['Bad Name']).withOptions({ yes: true, skipInstall: true }));
  t.regex(error.message, /--name: use lowercase letters/);
});

test.serial('a non-empty target directory is refused', async (t) => {
  const { error, dir } = await failing(
    runApp()
      .withArguments(['taken'])
      .onTargetDirectory((target) => {
        mkdirSync(join(target, 'taken'));
        writeFileSync(join(target, 'taken', 'notes.txt'), 'mine');
      })
      // yeoman-test forces overwrites by default; a user's run does not.
      .withOptions({ yes: true, skipInstall: true, force: false }),
  );
  t.regex(error.message, /taken is not empty/);
  t.deepEqual(readdirSync(join(dir, 'taken')), ['notes.txt']);
});

test.serial('on a terminal, a folder in the way is refused before any question is asked', async (t) => {
  const restore = simulateTerminal(true);
  try {
    const asked: string[] = [];
    const { error } = await failing(
      runApp()
        .withArguments(['taken'])
        .onTargetDirectory((target) => {
          mkdirSync(join(target, 'taken'));
          writeFileSync(join(target, 'taken', 'notes.txt'), 'mine');
        })
        .withOptions({ force: false })
        .withAnswers(
          {},
          {
            callback: (answer: unknown, { question }: { question: { name: string } }) => (
              asked.push(question.name),
              answer
            ),
          },
        ),
    );
    t.regex(error.message, /taken is not empty/);
    t.deepEqual(asked, []);
  } finally {
    restore();
  }
});

test.serial('package.json declares every package the generated code imports', async (t) => {
  const run = await runApp()
    .withArguments(['deps-check'])
    .withOptions({ yes: true, skipInstall: true, features: 'rate-limit,redis' });
  const project = join(run.cwd, 'deps-check');
  const pkg = json(project, 'package.json');
  const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
  const imported = new Set<string>();
  for (const file of tree(project).filter((name) => /\.(ts|js)$/.test(name))) {
    for (const match of read(project, file).matchAll(
      /^\s*(?:import|export)[^'"]*?from\s+'([^'.][^']*)'|import\('([^'.][^']*)'\)/gm,
    )) {
      const specifier = match[1] ?? match[2]!;
      if (specifier.startsWith('node:')) continue;
      if (specifier.startsWith('#')) {
        t.truthy(pkg.imports[specifier], `${specifier} is a package.json "imports" entry`);
        continue;
      }
      imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  }
  t.true(imported.size > 5);
  t.deepEqual(
    [...imported].filter((name) => !declared.has(name)),
    [],
  );
});

test.serial('rendered files with feature switches match their snapshots', async (t) => {
  const run = await runApp()
    .withArguments(['snap'])
    .withOptions({ yes: true, skipInstall: true, features: 'rate-limit,redis', db: 'postgresql' });
  const project = join(run.cwd, 'snap');
  for (const file of ['src/bootstrap.ts', 'src/config/index.ts', 'package.json', '.env.test']) {
    t.snapshot(read(project, file), file);
  }
});
