// Settings are checked at boot: every bad value is reported at once, and production refuses a weak secret.
import test, { type ExecutionContext } from 'ava';
import { loadSettings, SettingsError } from 'fastpy-runtime/config';

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

test('every bad value is listed, not just the first', (t) => {
  const found = problems(t, {
    PORT: 'eighty',
    RATE_LIMIT_REQUESTS: '0',
    LOG_LEVEL: 'loud',
    RATE_LIMIT_ENABLED: 'maybe',
  });
  t.is(found.length, 4);
  t.true(found.some((problem) => problem.startsWith('PORT must be an integer')));
  t.true(found.some((problem) => problem.startsWith('RATE_LIMIT_REQUESTS')));
  t.true(found.some((problem) => problem.startsWith('LOG_LEVEL must be one of')));
  t.true(found.some((problem) => problem.startsWith('RATE_LIMIT_ENABLED must be true or false')));
});

test('the error message lists each problem on its own line', (t) => {
  const error = t.throws(() => loadSettings({ ...base, PORT: '-1', DB_POOL_MAX: 'lots' }), {
    instanceOf: SettingsError,
  });
  const lines = error!.message.split('\n');
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
