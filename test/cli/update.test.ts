// `fastpy update`: a project made with an older fastpy-runtime takes this one — the tarball in
// vendor/, package.json, the framework's migrations it lacks — and its own tests pass after.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { PACKAGE_VERSION } from '../../lib/package.js';
import { changelogBetween, compareVersions } from '../../lib/runtime-update.js';
import { fastpy } from '../helpers/cli.js';
import { linkProjectDependencies } from '../helpers/project-deps.js';

const OLD = '0.1.5';
const NOTIFICATIONS = '20260101000300_create_notifications_table.ts';
const json = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));

/**
 * A project as an older fastpy made it: its vendored runtime is version 0.1.5 (this one's, renamed)
 * and predates the notifications table (that migration is neither in the tarball nor in src/).
 */
function olderProject(name: string): string {
  const made = fastpy(['new', name, '--yes', '--skip-install', '--skip-git']);
  if (made.status !== 0) throw new Error(made.stderr);
  const dir = join(made.cwd, name);
  const unpacked = mkdtempSync(join(tmpdir(), 'fastpy-old-runtime-'));
  execFileSync('tar', ['-xzf', join(dir, 'vendor', `fastpy-runtime-${PACKAGE_VERSION}.tgz`), '-C', unpacked]);
  const manifest = join(unpacked, 'package', 'package.json');
  writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), version: OLD }, null, 2));
  rmSync(join(unpacked, 'package', 'database', 'migrations', NOTIFICATIONS));
  rmSync(join(dir, 'vendor', `fastpy-runtime-${PACKAGE_VERSION}.tgz`));
  execFileSync('tar', ['-czf', join(dir, 'vendor', `fastpy-runtime-${OLD}.tgz`), '-C', unpacked, 'package']);
  rmSync(join(dir, 'src', 'database', 'migrations', NOTIFICATIONS));
  const pkg = json(dir, 'package.json');
  pkg.dependencies['fastpy-runtime'] = `file:vendor/fastpy-runtime-${OLD}.tgz`;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  return dir;
}

test('versions compare as semver; the CHANGELOG sections in between are picked', (t) => {
  t.true(compareVersions('0.10.0', '0.9.9') > 0);
  t.is(compareVersions('0.2.0', '0.2.0'), 0);
  const changelog =
    '# Changelog\n\nintro\n\n## Unreleased (0.3.0)\n\n- c\n\n## 0.2.0\n\n- b\n\n## 0.1.0 (not published)\n\n- a\n';
  t.deepEqual(changelogBetween(changelog, '0.1.0', '0.3.0'), ['## Unreleased (0.3.0)\n\n- c', '## 0.2.0\n\n- b']);
  t.deepEqual(changelogBetween(changelog, '0.2.0', '0.2.0'), []);
});

test.serial(
  "an older project takes this runtime: tarball, package.json, the framework's new migration, the CHANGELOG; its tests pass",
  (t) => {
    const dir = olderProject('old-api');
    const before = readdirSync(join(dir, 'src', 'database', 'migrations'));

    const check = fastpy(['update', '--check'], dir);
    t.is(check.status, 0, check.stderr);
    t.regex(
      check.stdout,
      new RegExp(
        `^fastpy-runtime ${OLD} → ${PACKAGE_VERSION}\\n {2}package\\.json {6}file:vendor/fastpy-runtime-${PACKAGE_VERSION}\\.tgz\\n {2}remove {12}vendor/fastpy-runtime-${OLD}\\.tgz\\n {2}create {12}src/database/migrations/${NOTIFICATIONS}`,
      ),
    );
    t.regex(
      check.stdout,
      /What changed \(CHANGELOG\.md\):\n\n## Unreleased \(0\.2\.0\)\n\n### Added — the runtime package/,
    );
    t.regex(check.stdout, /--check: nothing was changed/);
    t.deepEqual(readdirSync(join(dir, 'src', 'database', 'migrations')), before, '--check changes nothing');
    t.true(existsSync(join(dir, 'vendor', `fastpy-runtime-${OLD}.tgz`)));

    const updated = fastpy(['update', '--skip-install'], dir);
    t.is(updated.status, 0, updated.stderr);
    t.regex(updated.stdout, /Updated\. Next: npm install, npm run migrate, npm test\n$/);
    t.deepEqual(readdirSync(join(dir, 'vendor')), [`fastpy-runtime-${PACKAGE_VERSION}.tgz`]);
    t.is(json(dir, 'package.json').dependencies['fastpy-runtime'], `file:vendor/fastpy-runtime-${PACKAGE_VERSION}.tgz`);
    t.true(existsSync(join(dir, 'src', 'database', 'migrations', NOTIFICATIONS)));
    const again = fastpy(['update'], dir);
    t.is(again.stdout, `fastpy-runtime ${PACKAGE_VERSION} is what this project has: nothing to update\n`);

    // Installed (the shared dependencies, the new tarball unpacked) and migrated, its own suite passes.
    linkProjectDependencies([dir]);
    for (const [command, args] of [
      ['npx', ['knex', 'migrate:latest']],
      ['npm', ['test']],
    ] as const) {
      const result = spawnSync(command, args, {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NODE_ENV: undefined },
        timeout: 300_000,
      });
      t.is(result.status, 0, `${command} ${args.join(' ')}:\n${result.stdout}${result.stderr}`);
    }
  },
);

test('a project newer than this fastpy, one with the runtime copied into src/, or outside a project: refused, saying why', (t) => {
  const made = fastpy(['new', 'new-api', '--yes', '--skip-install', '--skip-git']);
  const dir = join(made.cwd, 'new-api');
  const pkg = json(dir, 'package.json');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ ...pkg, dependencies: { ...pkg.dependencies, 'fastpy-runtime': '9.0.0' } }),
  );
  const newer = fastpy(['update'], dir);
  t.is(newer.status, 1);
  t.is(
    newer.stderr,
    `fastpy: this project has fastpy-runtime 9.0.0, newer than this fastpy's ${PACKAGE_VERSION}: update fastpy first (fastpy upgrade)\n`,
  );
  const { 'fastpy-runtime': _runtime, ...others } = pkg.dependencies;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, dependencies: others }));
  mkdirSync(join(dir, 'src', 'controllers'), { recursive: true });
  writeFileSync(join(dir, 'src', 'controllers', 'resource-controller.ts'), '');
  const copied = fastpy(['update'], dir);
  t.is(copied.status, 1);
  t.regex(
    copied.stderr,
    /^fastpy: this project has the runtime copied into src\/ \(it was made before fastpy 0\.2\), so there is no package to update/,
  );
  t.regex(fastpy(['update']).stderr, /^fastpy: fastpy update runs inside a fastpy project/);
});
