// The user's settings file: defaults, the file, the environment over both; bad values named.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { configPath, initUserConfig, loadUserConfig, setUserConfig } from '../../lib/user-config.js';

const home = () => ({ FASTPY_CONFIG: join(mkdtempSync(join(tmpdir(), 'fastpy-config-')), 'fastpy', 'config.json') });

test('the file is $FASTPY_CONFIG, else under $XDG_CONFIG_HOME, else ~/.config', (t) => {
  t.is(configPath({ FASTPY_CONFIG: '/x/c.json' }), '/x/c.json');
  t.is(configPath({ XDG_CONFIG_HOME: '/xdg' }), '/xdg/fastpy/config.json');
  t.regex(configPath({}), /\.config\/fastpy\/config\.json$/);
});

test('defaults, then the file, then the environment — each value says where it came from', (t) => {
  const env = home();
  t.deepEqual(loadUserConfig(env).config, { ai: { timeoutMs: 60_000, retries: 3 } });
  t.deepEqual(initUserConfig(env), { file: env.FASTPY_CONFIG, created: true });
  t.deepEqual(loadUserConfig(env).config, { ai: { timeoutMs: 60_000, retries: 3 } }, 'the new file holds the defaults');
  t.deepEqual(initUserConfig(env), { file: env.FASTPY_CONFIG, created: false }, 'kept');
  setUserConfig(['ai.provider=ollama', 'ai.baseUrl=http://gpu-box:11434/', 'ai.retries=1'], env);
  const { config, sources } = loadUserConfig({ ...env, FASTPY_AI_MODEL: 'qwen2.5', FASTPY_AI_RETRIES: '5' });
  t.deepEqual(config.ai, {
    provider: 'ollama',
    model: 'qwen2.5',
    baseUrl: 'http://gpu-box:11434',
    timeoutMs: 60_000,
    retries: 5,
  });
  t.like(sources, {
    'ai.provider': 'file',
    'ai.model': 'env FASTPY_AI_MODEL',
    'ai.retries': 'env FASTPY_AI_RETRIES',
    'ai.timeoutMs': 'file',
  });
  setUserConfig(['ai.provider='], env);
  t.is(loadUserConfig(env).config.ai.provider, undefined, 'an empty value unsets');
  t.is(JSON.parse(readFileSync(env.FASTPY_CONFIG, 'utf8')).ai.provider, null);
});

test('bad settings are refused with what is allowed, and a bad file is named', (t) => {
  const env = home();
  t.throws(() => setUserConfig(['ai.provider=skynet'], env), {
    message: 'ai.provider: "skynet" is not one of anthropic, openai, google, groq, ollama (or none)',
  });
  t.throws(() => setUserConfig(['ai.colour=red'], env), {
    message: /^unknown setting "ai.colour"; settings: ai.provider, ai.model, ai.baseUrl, ai.timeoutMs, ai.retries$/,
  });
  t.throws(() => setUserConfig(['ai.retries'], env), { message: '--set takes key=value, got "ai.retries"' });
  t.throws(() => setUserConfig(['ai.baseUrl=ftp://x'], env), {
    message: 'ai.baseUrl: "ftp://x" must be an http(s) URL',
  });
  t.throws(() => loadUserConfig({ ...env, FASTPY_AI_TIMEOUT_MS: 'soon' }), {
    message: 'FASTPY_AI_TIMEOUT_MS: must be a whole number from 100 to 600000',
  });
  initUserConfig(env);
  writeFileSync(env.FASTPY_CONFIG, '{"ai": {"provider": "openai",}}');
  t.throws(() => loadUserConfig(env), {
    message: new RegExp(`^${env.FASTPY_CONFIG} is not valid JSON .*fastpy config --init --force`),
  });
  t.throws(
    () => setUserConfig(['ai.model=x'], env),
    { message: /is not valid JSON/ },
    'nothing is written over a broken file',
  );
  writeFileSync(env.FASTPY_CONFIG, '{"ai": {"retries": -1}}');
  t.throws(() => loadUserConfig(env), {
    message: `${env.FASTPY_CONFIG}: ai.retries: must be a whole number from 0 to 10`,
  });
});
