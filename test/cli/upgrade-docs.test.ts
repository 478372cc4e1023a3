// `fastpy upgrade` (how fastpy was installed, and updating a git checkout for real) and `fastpy docs`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { detectInstall, upgrade, upgradeSteps } from '../../lib/cli/commands/upgrade.js';
import { fastpy } from '../helpers/cli.js';

const git = (cwd: string, ...args: string[]) => {
  const result = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
};

/** An upstream repository holding a tiny package whose prepare script "builds", and a clone of it. */
function checkout(): { upstream: string; clone: string } {
  const base = mkdtempSync(join(tmpdir(), 'fastpy-upgrade-'));
  const upstream = join(base, 'upstream');
  mkdirSync(upstream);
  git(upstream, 'init', '-q', '-b', 'main');
  writeFileSync(
    join(upstream, 'package.json'),
    JSON.stringify({
      name: 'generator-fastpy',
      version: '0.1.0',
      private: true,
      scripts: { prepare: "node -e \"require('fs').writeFileSync('built.txt', 'ok')\"" },
    }),
  );
  writeFileSync(join(upstream, '.gitignore'), 'built.txt\npackage-lock.json\n');
  git(upstream, 'add', '.');
  git(upstream, 'commit', '-q', '-m', 'first');
  git(base, 'clone', '-q', upstream, 'clone');
  return { upstream, clone: join(base, 'clone') };
}

test('a git checkout is pulled fast-forward and rebuilt', async (t) => {
  const { upstream, clone } = checkout();
  writeFileSync(join(upstream, 'NEW.md'), 'new\n');
  git(upstream, 'add', '.');
  git(upstream, 'commit', '-q', '-m', 'second');
  const install = detectInstall(clone);
  t.like(install, { kind: 'git', root: clone, branch: 'main', dirty: false, upstream: 'origin/main' });
  t.deepEqual(
    upgradeSteps(install).steps.map((step) => [step.command, ...step.args].join(' ')),
    [`git -C ${clone} pull --ff-only`, 'npm install --no-audit --no-fund'],
  );
  t.is(await upgrade(install, { check: true }), 0);
  t.false(existsSync(join(clone, 'NEW.md')), '--check changes nothing');
  t.is(await upgrade(install, { yes: true }), 0);
  t.true(existsSync(join(clone, 'NEW.md')), 'pulled');
  t.true(existsSync(join(clone, 'built.txt')), 'rebuilt (npm install ran prepare)');
  t.is(git(clone, 'rev-parse', 'HEAD'), git(upstream, 'rev-parse', 'HEAD'));
});

test('a checkout with local changes, or without an upstream, is left alone with what to do', async (t) => {
  const { clone } = checkout();
  writeFileSync(join(clone, 'package.json'), '{"name":"generator-fastpy","version":"0.1.0","edited":true}');
  await t.throwsAsync(upgrade(detectInstall(clone), { yes: true }), {
    message: `cannot upgrade: ${clone} has uncommitted changes to tracked files: commit or stash them, then run fastpy upgrade again`,
  });
  git(clone, 'checkout', '--', 'package.json');
  git(clone, 'checkout', '-q', '-b', 'local');
  t.regex(upgradeSteps(detectInstall(clone)).blocked!, /the branch local in .* tracks no remote branch/);
});

test('npm installs: global, or a project dependency', (t) => {
  const prefix = mkdtempSync(join(tmpdir(), 'fastpy-prefix-'));
  const globalRoot = join(prefix, 'lib', 'node_modules', 'generator-fastpy');
  mkdirSync(globalRoot, { recursive: true });
  const globalInstall = detectInstall(globalRoot);
  t.deepEqual(globalInstall, { kind: 'npm-global', root: globalRoot });
  t.deepEqual(
    upgradeSteps(globalInstall).steps.map((step) => [step.command, ...step.args].join(' ')),
    ['npm install --global generator-fastpy@latest'],
  );
  const project = mkdtempSync(join(tmpdir(), 'fastpy-dependent-'));
  writeFileSync(join(project, 'package.json'), '{"name":"x"}');
  const local = join(project, 'node_modules', 'generator-fastpy');
  mkdirSync(local, { recursive: true });
  t.deepEqual(detectInstall(local), { kind: 'dependency', root: local, project });
  t.deepEqual(upgradeSteps(detectInstall(local)).steps, [
    { command: 'npm', args: ['install', '--save-dev', 'generator-fastpy@latest'], cwd: project },
  ]);
});

test('fastpy upgrade --check in this checkout says how fastpy is installed', (t) => {
  const run = fastpy(['upgrade', '--check']);
  t.regex(run.stdout, /^fastpy \d+\.\d+\.\d+ at /);
  // A CI clone is clean and tracks origin; a working copy may be dirty: either way it is named a git checkout.
  t.regex(run.stdout, /installed from a git checkout: branch \S+ at [0-9a-f]{7,}/);
});

test('fastpy docs lists topics and prints one from the guide', (t) => {
  const list = fastpy(['docs']);
  t.is(list.status, 0, list.stderr);
  t.regex(list.stdout, /^The guide: .*README\.md\n/);
  t.regex(list.stdout, /resources +make:resource, the field language/);
  const fields = fastpy(['docs', 'fields']);
  t.is(fields.status, 0, fields.stderr);
  t.regex(fields.stdout, /^## Resources: /);
  t.regex(fields.stdout, /\*\*The field language\*\* is `name:type:rules`/);
  t.notRegex(fields.stdout, /## Project commands/, 'one section only');
  t.regex(fastpy(['docs', 'ai']).stdout, /^## `fastpy ai "<what to build>"`[\s\S]*offline planner/);
  const project = fastpy(['new', 'docs-api', '--yes', '--skip-install']);
  t.regex(
    fastpy(['docs'], join(project.cwd, 'docs-api')).stdout,
    /this project's API docs, with the server running \(fastpy serve\): http:\/\/localhost:8000\/docs \(the OpenAPI document: \/openapi\.json\)/,
  );
  const unknown = fastpy(['docs', 'kittens']);
  t.is(unknown.status, 1);
  t.regex(
    unknown.stderr,
    /fastpy: no docs topic "kittens"; topics: start, new, resources, commands, ai, global, project/,
  );
});
