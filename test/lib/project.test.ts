import test from 'ava';
import {
  databaseUrlProblem,
  projectContext,
  projectPackageJson,
  testDatabaseUrl,
  type ProjectAnswers,
} from '../../lib/project.js';
import { VERSIONS } from '../../lib/versions.js';

const answers: ProjectAnswers = {
  name: 'shop-api',
  description: 'Shop',
  database: 'postgresql',
  databaseUrl: 'postgresql://app:s3cret@db:5432/shop',
  features: ['rate-limit', 'redis'],
  frontendUrl: '',
  install: false,
};

test('a URL must fit the chosen database', (t) => {
  t.is(databaseUrlProblem('sqlite:./data/app.db', 'sqlite'), undefined);
  t.is(databaseUrlProblem('sqlite::memory:', 'sqlite'), undefined);
  t.is(databaseUrlProblem('postgres://u@h:5432/db', 'postgresql'), undefined);
  t.is(databaseUrlProblem('mariadb://root@h/db', 'mysql'), undefined);
  t.regex(databaseUrlProblem('mysql://root@h/db', 'postgresql')!, /must start with postgresql: or postgres:/);
  t.regex(databaseUrlProblem('postgresql://u@h:5432/', 'postgresql')!, /names no database/);
  t.regex(databaseUrlProblem('sqlite:', 'sqlite')!, /must name a file/);
});

test('tests use an in-memory SQLite or a _test database on the same server', (t) => {
  t.is(testDatabaseUrl('sqlite:./data/app.db', 'sqlite'), 'sqlite::memory:');
  t.is(
    testDatabaseUrl('postgresql://app:s3cret@db:5432/shop', 'postgresql'),
    'postgresql://app:s3cret@db:5432/shop_test',
  );
  t.is(
    testDatabaseUrl('mysql://root@127.0.0.1:3306/shop?ssl=true', 'mysql'),
    'mysql://root@127.0.0.1:3306/shop_test?ssl=true',
  );
});

test('the context derives feature flags and a fresh secret', (t) => {
  const a = projectContext(answers, '1.2.3');
  const b = projectContext(answers, '1.2.3');
  t.like(a, { driver: 'postgresql', rateLimit: true, redis: true, docs: false, generatorVersion: '1.2.3' });
  t.true(a.secretKey.length >= 48);
  t.regex(a.appKey, /^[A-Za-z0-9_-]{43}=$/);
  t.not(a.appKey, b.appKey);
  t.not(a.secretKey, b.secretKey);
});

test('package.json pins every dependency from the version map, with only the chosen driver', (t) => {
  const pkg = projectPackageJson(projectContext(answers, '1.0.0')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
    imports?: Record<string, string>;
  };
  for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
    t.is(version, VERSIONS[name as keyof typeof VERSIONS], name);
  }
  t.truthy(pkg.dependencies.pg);
  t.truthy(pkg.dependencies.ioredis);
  t.false('better-sqlite3' in pkg.dependencies);
  t.false('mysql2' in pkg.dependencies);
  const sqlite = projectPackageJson(
    projectContext({ ...answers, database: 'sqlite', databaseUrl: 'sqlite:./x.db', features: [] }, '1.0.0'),
  ) as typeof pkg;
  t.truthy(sqlite.dependencies['better-sqlite3']);
  t.truthy(sqlite.dependencies.ioredis && sqlite.dependencies.argon2, "the facades' drivers, in every project");
  t.deepEqual(
    sqlite.imports,
    { '#libs': './src/libs/index.ts' },
    'the runtime copied into src/ (templates before 0.2)',
  );
});

test('with the runtime package, package.json depends on it and #libs is its facades', (t) => {
  const pkg = projectPackageJson(projectContext(answers, '1.0.0'), 'file:vendor/fastpy-runtime-1.0.0.tgz') as {
    dependencies: Record<string, string>;
    imports: Record<string, string>;
  };
  t.is(pkg.dependencies['fastpy-runtime'], 'file:vendor/fastpy-runtime-1.0.0.tgz');
  t.deepEqual(pkg.imports, { '#libs': 'fastpy-runtime/libs' });
  t.deepEqual(
    Object.keys(pkg.dependencies),
    Object.keys(pkg.dependencies).sort((a, b) => a.localeCompare(b)),
    'sorted, as npm writes them',
  );
});

test("with the runtime package, only the chosen features' drivers are installed (the rest: fastpy add)", (t) => {
  const deps = (features: ProjectAnswers['features']) => {
    const pkg = projectPackageJson(
      projectContext({ ...answers, database: 'sqlite', databaseUrl: 'sqlite:./x.db', features }, '1.0.0'),
      'file:vendor/fastpy-runtime-1.0.0.tgz',
    ) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  };
  const bare = deps(['rate-limit']);
  for (const name of ['fastpy-runtime', 'koa', '@koa/router', 'knex', 'better-sqlite3', 'tsx', 'ava', 'typescript'])
    t.true(bare.includes(name), name);
  for (const name of [
    'ioredis',
    'bullmq',
    'swagger-ui-dist',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-sesv2',
    'nodemailer',
    'argon2',
    '@koa/multer',
    'multer',
    'file-type',
    '@koa/cors',
    'helmet',
    'pino',
  ])
    t.false(bare.includes(name), name);
  t.deepEqual(
    deps(['rate-limit', 'docs', 'redis'])
      .filter((name) => !bare.includes(name))
      .sort(),
    ['bullmq', 'ioredis', 'swagger-ui-dist'],
  );
});
