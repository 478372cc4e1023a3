// Settings are checked at boot: every bad value is reported at once, production refuses a weak
// secret, and .env.example documents every variable read.
import { readFileSync } from 'node:fs';
import test, { type ExecutionContext } from 'ava';
import { loadSettings, SettingsError } from '../../runtime/config/settings.js';

/** Every variable loadSettings() reads, found by watching it read. */
function variablesRead(): string[] {
  const seen = new Set<string>();
  const env = new Proxy(
    {},
    {
      get(_, name) {
        if (typeof name === 'string') seen.add(name);
        return undefined;
      },
    },
  );
  loadSettings(env);
  return [...seen].sort();
}

test('.env.example documents every setting the app reads', (t) => {
  const example = readFileSync(new URL('../../generators/app/templates/.env.example.ejs', import.meta.url), 'utf8');
  const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!));
  const read = variablesRead();
  t.true(read.length > 20);
  t.deepEqual(
    read.filter((name) => !documented.has(name)),
    [],
  );
  t.deepEqual(
    [...documented].filter((name) => !read.includes(name)),
    [],
  );
});

test('problems are collected, each naming the variable and the value', (t) => {
  const error = t.throws(
    () =>
      loadSettings({
        PORT: '70000',
        DB_POOL_MIN: '5',
        DB_POOL_MAX: '2',
        CORS_ORIGINS: 'example.com',
        REDIS_URL: 'http://x',
        BODY_LIMIT: 'huge',
      }),
    { instanceOf: SettingsError },
  );
  t.deepEqual([...error.problems].sort(), [
    'BODY_LIMIT must be a size like 100kb or 1mb (got "huge")',
    'CORS_ORIGINS entry "example.com" must be * or an origin like https://app.example.com',
    'DB_POOL_MIN (5) must not exceed DB_POOL_MAX (2)',
    'PORT must be an integer between 0 and 65535 (got "70000")',
    'REDIS_URL must start with redis:// or rediss:// (got "http://x")',
  ]);
});

test('test environment logs nothing by default; production hides docs by default', (t) => {
  t.is(loadSettings({ NODE_ENV: 'test' }).logLevel, 'silent');
  t.false(loadSettings({ NODE_ENV: 'production', SECRET_KEY: 'Zx8f2kq9Lm3n7Vb1Wc6Rt4Yp0Hs5Jd2Gf' }).docsEnabled);
  t.is(loadSettings({ LOG_LEVEL: 'INFO' }).logLevel, 'info');
  t.is(loadSettings({ DB_DRIVER: 'postgres', DATABASE_URL: 'postgres://u@h/d' }).database.driver, 'postgresql');
});

const base = { NODE_ENV: 'development', DATABASE_URL: 'sqlite::memory:' };

function problems(t: ExecutionContext, env: Record<string, string>): string[] {
  const error = t.throws(() => loadSettings({ ...base, ...env }), { instanceOf: SettingsError });
  return error?.problems ?? [];
}

test('defaults give a working development configuration', (t) => {
  const settings = loadSettings(base);
  t.is(settings.env, 'development');
  t.is(settings.port, 8000);
  t.is(settings.database.driver, 'sqlite');
  t.is(settings.accessTokenExpireMinutes, 30);
  t.true(settings.rateLimit.enabled);
});

test('the error message lists each problem on its own line', (t) => {
  const error = t.throws(() => loadSettings({ ...base, PORT: '-1', DB_POOL_MAX: 'lots' }), {
    instanceOf: SettingsError,
  });
  const lines = error.message.split('\n');
  t.regex(lines[0]!, /^Invalid settings/);
  t.true(lines.some((line) => line.startsWith('  - PORT must be an integer')));
  t.true(lines.some((line) => line.startsWith('  - DB_POOL_MAX must be an integer')));
});

test('DATABASE_URL must name a known database, agreeing with DB_DRIVER', (t) => {
  t.true(problems(t, { DATABASE_URL: 'oracle://db/x' }).some((problem) => /unknown scheme/.test(problem)));
  t.true(
    problems(t, { DATABASE_URL: 'postgresql://localhost/app', DB_DRIVER: 'mysql' }).some((problem) =>
      /DB_DRIVER is "mysql"/.test(problem),
    ),
  );
  t.is(
    loadSettings({ ...base, DATABASE_URL: 'mysql://root@localhost/app', DB_DRIVER: 'mysql' }).database.driver,
    'mysql',
  );
});

test('production refuses a missing, short or placeholder SECRET_KEY', (t) => {
  const production = { NODE_ENV: 'production' };
  t.true(problems(t, production).some((problem) => problem.startsWith('SECRET_KEY is required')));
  t.true(problems(t, { ...production, SECRET_KEY: 'too-short' }).some((problem) => /at least 32/.test(problem)));
  t.true(problems(t, { ...production, SECRET_KEY: 'change-me' }).some((problem) => /placeholder/.test(problem)));
  t.true(problems(t, { ...production, SECRET_KEY: 'a'.repeat(40) }).some((problem) => /repetitive/.test(problem)));
  t.is(loadSettings({ ...base, ...production, SECRET_KEY: 'k3y-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c' }).env, 'production');
});

test('the Redis rate-limit store needs REDIS_URL', (t) => {
  t.true(problems(t, { RATE_LIMIT_STORE: 'redis' }).some((problem) => /REDIS_URL is not set/.test(problem)));
});
