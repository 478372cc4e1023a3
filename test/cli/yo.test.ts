// `yo fastpy` and `yo fastpy:resource` as users run them: the real `yo`, as a user who is not root
// (yo refuses root: as root the test runs it as nobody), finding generator-fastpy the way npm link
// would put it on yo's path. Our errors leave yo with our message and exit code 1, and the project
// yo wrote passes its own `npm run lint` and `npm test`.
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { linkProjectDependencies } from '../helpers/project-deps.js';

const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const YO = join(REPO, 'node_modules', 'yo', 'lib', 'cli.js');
const root = process.getuid?.() === 0;

/** A folder the unprivileged user can write (and the test can read). */
function shared(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o777);
  return dir;
}

// yo looks generators up on NODE_PATH among others: there, generator-fastpy is this checkout.
const lookup = shared('fastpy-yo-path-');
symlinkSync(REPO, join(lookup, 'generator-fastpy'), 'dir');
const home = shared('fastpy-yo-home-');

/** Runs `yo <args>` in `cwd` as a user who is not root. */
function yo(args: string[], cwd: string) {
  const env = { PATH: process.env.PATH ?? '', HOME: home, NODE_PATH: lookup, NO_UPDATE_NOTIFIER: '1', CI: '1' };
  const command = [process.execPath, YO, ...args, '--no-insight'];
  const result = root
    ? spawnSync(
        'runuser',
        ['-u', 'nobody', '--', 'env', ...Object.entries(env).map(([key, value]) => `${key}=${value}`), ...command],
        { cwd, encoding: 'utf8', timeout: 120_000 },
      )
    : spawnSync(command[0]!, command.slice(1), { cwd, encoding: 'utf8', env, timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test.before(() => {
  if (!root) return;
  // nobody must be able to read this checkout (a clone under a private folder could not be).
  const check = spawnSync('runuser', [
    '-u',
    'nobody',
    '--',
    'test',
    '-r',
    join(REPO, 'generators', 'resource', 'index.js'),
  ]);
  if (check.status !== 0)
    throw new Error(`the yo test runs yo as nobody, who cannot read ${REPO}: clone it where other users can read it`);
  accessSync(YO, constants.R_OK);
});

test.serial(
  'yo fastpy writes a project, yo fastpy:resource a resource in it; a usage error is our message and exit code 1',
  (t) => {
    const workspace = shared('fastpy-yo-');
    const app = yo(['fastpy', 'yo-api', '--yes', '--skip-install'], workspace);
    t.is(app.status, 0, app.output);
    const project = join(workspace, 'yo-api');
    t.regex(readFileSync(join(project, '.yo-rc.json'), 'utf8'), /"name": "yo-api"/);

    const resource = yo(['fastpy:resource', 'Post', '-f', 'title:string:required', '-f', 'body:text', '-m'], project);
    t.is(resource.status, 0, resource.output);
    t.regex(readFileSync(join(project, 'src/models/post.ts'), 'utf8'), /name: 'body'/);

    const changed = yo(['fastpy:resource', 'Post', '--remove-field', 'body'], project);
    t.is(changed.status, 1, changed.output);
    t.regex(changed.output, /This change to posts can lose data:\n {2}- drops body \(text\): its values are deleted/);
    t.notRegex(changed.output, /TypeError|ERR_INVALID_ARG_TYPE/, 'yo exits with a number, not our string code');
    t.regex(readFileSync(join(project, 'src/models/post.ts'), 'utf8'), /name: 'body'/, 'nothing written');

    const nameless = yo(['fastpy:resource'], project);
    t.is(nameless.status, 1, nameless.output);
    t.regex(nameless.output, /Name the resource: yo fastpy:resource <Name>/);

    // What yo wrote passes the project's own lint and tests (its dependencies from the shared install).
    linkProjectDependencies([project]);
    for (const script of ['lint', 'test']) {
      const result = spawnSync('npm', ['run', script], { cwd: project, encoding: 'utf8', timeout: 300_000 });
      t.is(result.status, 0, `npm run ${script}:\n${result.stdout}${result.stderr}`);
    }
  },
);

test.serial('yo fastpy in a folder that is not empty is refused, naming it', (t) => {
  const workspace = shared('fastpy-yo-busy-');
  mkdirSync(join(workspace, 'busy-api'), { mode: 0o777 });
  spawnSync('sh', [
    '-c',
    `echo mine > ${join(workspace, 'busy-api', 'notes.txt')} && chmod 666 ${join(workspace, 'busy-api', 'notes.txt')}`,
  ]);
  const refused = yo(['fastpy', 'busy-api', '--yes', '--skip-install'], workspace);
  t.is(refused.status, 1, refused.output);
  t.regex(refused.output, /busy-api is not empty/);
  t.notRegex(refused.output, /TypeError/);
});
