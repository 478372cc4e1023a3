// The examples `fastpy libs <name> --usage` prints (runtime/libs/usage/) run, and their assertions
// hold: here through the repository's own `#libs` import; the e2e test runs them in a project.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { REDIS_URL } from '../../helpers/databases.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const USAGE = join(ROOT, 'runtime', 'libs', 'usage');

for (const file of readdirSync(USAGE).filter((name) => name.endsWith('.ts'))) {
  test(`usage example ${file} runs`, (t) => {
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      BCRYPT_ROUNDS: '4',
      REDIS_URL,
      CACHE_PATH: mkdtempSync(join(tmpdir(), 'fastpy-usage-cache-')),
      CACHE_PREFIX: `fastpy-usage-test:${process.pid}:`,
    };
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(USAGE, file)], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    t.is(run.status, 0, `${run.stdout}\n${run.stderr}`);
  });
}
