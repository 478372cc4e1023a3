// The examples `fastpy libs <name> --usage` prints (lib/cli/libs-usage/) run, and their assertions
// hold: here through the repository's own `#libs` import; the e2e test runs them in a project.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import S3rver from 's3rver';
import { spawnAsync } from '../../helpers/cli.js';
import { REDIS_URL } from '../../helpers/databases.js';

// An S3-compatible server for the Storage example's s3 disk.
let s3rver: S3rver;
let s3Endpoint = '';
test.before(async () => {
  s3rver = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: mkdtempSync(join(tmpdir(), 'fastpy-usage-s3-')),
    configureBuckets: [{ name: 'usage', configs: [] }],
  });
  s3Endpoint = `http://127.0.0.1:${(await s3rver.run()).port}`;
});
test.after.always(() => s3rver?.close());

const ROOT = new URL('../../../', import.meta.url).pathname;
const USAGE = join(ROOT, 'lib', 'cli', 'libs-usage');

// The Mail example's template, as a generated project has it (views/mail/welcome.ejs).
const MAIL_VIEWS = mkdtempSync(join(tmpdir(), 'fastpy-usage-views-'));
writeFileSync(join(MAIL_VIEWS, 'welcome.ejs'), '<h1>Welcome, <%= name %>!</h1>');

for (const file of readdirSync(USAGE).filter((name) => name.endsWith('.ts'))) {
  test(`usage example ${file} runs`, async (t) => {
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      BCRYPT_ROUNDS: '4',
      REDIS_URL,
      CACHE_PATH: mkdtempSync(join(tmpdir(), 'fastpy-usage-cache-')),
      CACHE_PREFIX: `fastpy-usage-test:${process.pid}:`,
      STORAGE_ROOT: mkdtempSync(join(tmpdir(), 'fastpy-usage-storage-')),
      MAIL_VIEWS,
      QUEUE_DRIVER: 'memory',
      ...{ S3_BUCKET: 'usage', S3_ENDPOINT: s3Endpoint, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' },
    };
    const run = await spawnAsync(process.execPath, ['--import', 'tsx', join(USAGE, file)], { cwd: ROOT, env });
    t.is(run.status, 0, `${run.stdout}\n${run.stderr}`);
  });
}
