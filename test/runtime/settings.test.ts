import { readFileSync } from 'node:fs';
import test from 'ava';
import { loadSettings, SettingsError } from '../../runtime/config/settings.js';

/** Every variable loadSettings() reads, found by watching it read. */
function variablesRead(): string[] {
  const seen = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get(_, name) {
      if (typeof name === 'string') seen.add(name);
      return undefined;
    },
  });
  loadSettings(env);
  return [...seen].sort();
}

test('.env.example documents every setting the app reads', (t) => {
  const example = readFileSync(new URL('../../generators/app/templates/.env.example.ejs', import.meta.url), 'utf8');
  const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!));
  const read = variablesRead();
  t.true(read.length > 20);
  t.deepEqual(read.filter((name) => !documented.has(name)), []);
  t.deepEqual([...documented].filter((name) => !read.includes(name)), []);
});

test('problems are collected, each naming the variable and the value', (t) => {
  const error = t.throws(() => loadSettings({ PORT: '70000', DB_POOL_MIN: '5', DB_POOL_MAX: '2', CORS_ORIGINS: 'example.com', REDIS_URL: 'http://x', BODY_LIMIT: 'huge' }), { instanceOf: SettingsError });
  t.deepEqual([...error!.problems].sort(), [
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
