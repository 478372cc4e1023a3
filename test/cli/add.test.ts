// `fastpy add <feature>`: the runtime's optional packages a feature needs, pinned into the
// project's package.json (npm install skipped here: the e2e test installs for real).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { VERSIONS } from '../../lib/versions.js';
import { fastpy } from '../helpers/cli.js';
import { REDIS_URL } from '../helpers/databases.js';
import { linkProjectDependencies } from '../helpers/project-deps.js';

const dependencies = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
    .dependencies;

test('a feature adds its packages, pinned and sorted; adding it again changes nothing', (t) => {
  const made = fastpy(['new', 'add-api', '--yes', '--skip-install', '--skip-git', '--features', 'rate-limit']);
  t.is(made.status, 0, made.stderr);
  const dir = join(made.cwd, 'add-api');
  const before = dependencies(dir);
  t.false(
    'ioredis' in before || 'swagger-ui-dist' in before || 'nodemailer' in before,
    'a project without the features has none of their packages',
  );
  const added = fastpy(['add', 'redis', 'smtp', '--skip-install'], join(dir, 'src'));
  t.is(added.status, 0, added.stderr);
  t.is(
    added.stdout,
    `package.json: added bullmq@${VERSIONS.bullmq}, ioredis@${VERSIONS.ioredis}, nodemailer@${VERSIONS.nodemailer}\nNext: npm install\n`,
  );
  const after = dependencies(dir);
  t.like(after, { ioredis: VERSIONS.ioredis, bullmq: VERSIONS.bullmq, nodemailer: VERSIONS.nodemailer, ...before });
  t.deepEqual(
    Object.keys(after),
    Object.keys(after).sort((a, b) => a.localeCompare(b)),
  );
  const again = fastpy(['add', 'redis', '--skip-install'], dir);
  t.is(again.status, 0, again.stderr);
  t.is(again.stdout, 'redis: every package is in package.json already\n');
  t.deepEqual(dependencies(dir), after);
});

test('an unknown feature, none, or a project whose runtime is copied into src/ is refused with what to do', (t) => {
  const made = fastpy(['new', 'bad-add-api', '--yes', '--skip-install', '--skip-git']);
  const dir = join(made.cwd, 'bad-add-api');
  const before = readFileSync(join(dir, 'package.json'), 'utf8');
  const unknown = fastpy(['add', 'kafka', 'redis'], dir);
  t.is(unknown.status, 1);
  t.is(unknown.stderr, 'fastpy: no feature "kafka": fastpy add takes redis, docs, uploads, smtp, ses, s3, argon2\n');
  const none = fastpy(['add'], dir);
  t.is(none.status, 1);
  t.regex(none.stderr, /missing required argument 'feature'/);
  t.is(readFileSync(join(dir, 'package.json'), 'utf8'), before, 'nothing written');
  const pkg = JSON.parse(before);
  delete pkg.dependencies['fastpy-runtime'];
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  const copied = fastpy(['add', 'redis'], dir);
  t.is(copied.status, 1);
  t.regex(
    copied.stderr,
    /^fastpy: fastpy add installs fastpy-runtime's optional packages, and this project \(made before 0\.2\) has the runtime copied into src\//,
  );
  t.regex(fastpy(['add', '--help']).stdout, /redis +REDIS_URL: the Redis rate-limit store/);
});

test.serial(
  'REDIS_URL without ioredis: the server stops with one line naming the package and fastpy add; added, it starts',
  async (t) => {
    const made = fastpy(['new', 'lean-api', '--yes', '--skip-install', '--skip-git']);
    t.is(made.status, 0, made.stderr);
    const dir = join(made.cwd, 'lean-api');
    linkProjectDependencies([dir], { without: ['ioredis', 'bullmq'] });
    const env = { ...process.env, NODE_ENV: undefined, REDIS_URL: REDIS_URL, PORT: '0' };
    const refused = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: dir,
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    t.is(refused.status, 1);
    t.is(
      refused.stderr,
      'cannot start: Redis (REDIS_URL) needs the ioredis package, which is not installed: run fastpy add redis (or npm install ioredis bullmq)\n',
    );
    t.is(fastpy(['add', 'redis', '--skip-install'], dir).status, 0);
    rmSync(join(dir, 'node_modules'), { recursive: true });
    linkProjectDependencies([dir]);
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const listening = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 30_000);
      const seen = (chunk: Buffer) => {
        output += chunk.toString();
        if (/listening on http/.test(output)) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      server.stdout.on('data', seen);
      server.stderr.on('data', seen);
    });
    server.kill('SIGTERM');
    t.true(listening, output);
  },
);
