// The `fastpy` binary as a user runs it: a child process with no terminal on stdin.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { fastpy } from '../helpers/cli.js';
import { PACKAGE_VERSION } from '../../lib/package.js';

test('fastpy new without a terminal and without answers stops with the options to pass', (t) => {
  const run = fastpy(['new', 'my-api', '--skip-install']);
  t.is(run.signal, null, 'it must not hang waiting for input');
  t.is(run.status, 1);
  t.regex(run.stderr, /fastpy: No terminal to ask questions on/);
  t.regex(run.stderr, /--db <sqlite\|postgresql\|mysql>/);
  t.regex(run.stderr, /fastpy new my-api --yes/);
  t.false(existsSync(join(run.cwd, 'my-api')));
});

test('fastpy new --yes writes the project and prints what to do next', (t) => {
  const run = fastpy(['new', 'shop-api', '--yes', '--skip-install', '--db', 'postgresql']);
  t.is(run.status, 0, run.stderr);
  t.true(existsSync(join(run.cwd, 'shop-api', 'src', 'server.ts')));
  t.regex(readFileSync(join(run.cwd, 'shop-api', '.env'), 'utf8'), /^DB_DRIVER=postgresql$/m);
  // Yeoman's logger (file list, summary) writes to stderr, as under `yo`.
  t.regex(run.stderr, /Created shop-api \(postgresql\) in shop-api: \d+ files/);
  // PostgreSQL: the databases are made first (SQLite makes its file itself).
  t.regex(
    run.stderr,
    /Next:\n {2}cd shop-api\n {2}npm install\n {2}npm run db:create {3}# the development and test databases\n {2}npm run migrate\n {2}npm run dev/,
  );
  const sqlite = fastpy(['new', 'lite-api', '--yes', '--skip-install']);
  t.regex(sqlite.stderr, /Next:\n {2}cd lite-api\n {2}npm install\n {2}npm run migrate\n {2}npm run dev/);
  t.is(
    JSON.parse(readFileSync(join(run.cwd, 'shop-api', 'package.json'), 'utf8')).scripts['db:create'],
    'node --import tsx src/console.ts create',
  );
});

test('a bad option value is an error naming it, with a non-zero exit', (t) => {
  const run = fastpy(['new', 'x-api', '--yes', '--skip-install', '--db', 'oracle']);
  t.is(run.status, 1);
  t.regex(run.stderr, /fastpy: --db: "oracle" is not one of sqlite, postgresql, mysql/);
  const frontend = fastpy(['new', 'y-api', '--yes', '--skip-install', '--frontend-url', 'app.example.com']);
  t.is(frontend.status, 1);
  t.regex(
    frontend.stderr,
    /"app\.example\.com" is not an http\(s\) URL \(e\.g\. https:\/\/app\.example\.com\); leave it empty for the API's own pages/,
  );
  t.false(existsSync(join(frontend.cwd, 'y-api')));
});

test('--version, --help and a mistyped command', (t) => {
  const version = fastpy(['--version']);
  t.is(version.status, 0);
  t.is(version.stdout.trim(), JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  const help = fastpy(['new', '--help']);
  t.is(help.status, 0);
  for (const option of ['--db', '--database-url', '--features', '--skip-install', '--yes', '--config'])
    t.true(help.stdout.includes(option), option);
  const typo = fastpy(['neww']);
  t.not(typo.status, 0);
  t.regex(typo.stderr, /unknown command 'neww'[\s\S]*Did you mean new\?/);
});

test('make:* commands run inside a project and refuse outside one', (t) => {
  const created = fastpy(['new', 'makes-api', '--yes', '--skip-install']);
  t.is(created.status, 0, created.stderr);
  const project = join(created.cwd, 'makes-api');
  // -v is the enum's values here, not a version flag (regression: it printed the version).
  const enumRun = fastpy(['make:enum', 'Status', '-v', 'active', '-v', 'inactive'], project);
  t.is(enumRun.status, 0, enumRun.stderr);
  t.regex(readFileSync(join(project, 'src/enums/status.ts'), 'utf8'), /INACTIVE: 'inactive'/);
  const resource = fastpy(['make:resource', 'Post', '-f', 'title:string:required', '-m', '-p'], join(project, 'src'));
  t.is(resource.status, 0, resource.stderr);
  t.true(existsSync(join(project, 'src/routes/posts.ts')), 'run from a subfolder, written at the project root');
  const preview = fastpy(['make:resource', 'Post', '-f', 'body:text', '--dry-run'], project);
  t.is(preview.status, 0, preview.stderr);
  t.regex(
    preview.stderr,
    /Dry run: nothing is written\.\nColumns of posts in \d{14}_alter_posts_table\.ts:\n {2}add {5}body: text\nFiles:\n/,
  );
  t.regex(preview.stderr, /update +src\/models\/post\.ts/);
  t.regex(preview.stderr, /create +src\/database\/migrations\/\d{14}_alter_posts_table\.ts/);
  t.notRegex(preview.stderr, /^ +skip /m, "Yeoman's own line per file is left out");
  t.notRegex(readFileSync(join(project, 'src/models/post.ts'), 'utf8'), /body/);
  // A resource that exists keeps its protection when changed; --no-protected takes it away.
  t.is(fastpy(['make:resource', 'Post', '-f', 'body:text'], project).status, 0);
  t.regex(readFileSync(join(project, 'src/routes/posts.ts'), 'utf8'), /requireAuth/);
  const unprotected = fastpy(['make:resource', 'Post', '--no-protected'], project);
  t.is(unprotected.status, 0, unprotected.stderr);
  t.notRegex(readFileSync(join(project, 'src/routes/posts.ts'), 'utf8'), /requireAuth/);
  const bad = fastpy(['make:resource', 'Bad', '-f', 'x:nope'], project);
  t.is(bad.status, 1);
  t.regex(bad.stderr, /^fastpy: field "x": unknown type "nope"/);
  t.notRegex(bad.stderr, /An error occured/);
  const outside = fastpy(['make:model', 'Post', '-f', 'title:string']);
  t.is(outside.status, 1);
  t.regex(outside.stderr, /fastpy make:model runs inside a fastpy project/);
});

test('db:* and route:list say what they need: a project, and its dependencies installed', (t) => {
  const outside = fastpy(['db:migrate']);
  t.is(outside.status, 1);
  t.regex(outside.stderr, /fastpy db:migrate runs inside a fastpy project/);
  const created = fastpy(['new', 'bare-api', '--yes', '--skip-install']);
  const uninstalled = fastpy(['route:list'], join(created.cwd, 'bare-api'));
  t.is(uninstalled.status, 1);
  t.regex(uninstalled.stderr, /fastpy route:list needs the project's dependencies: run npm install in /);
  const badSteps = fastpy(['db:rollback', '--steps', 'zero'], join(created.cwd, 'bare-api'));
  t.is(badSteps.status, 1);
  t.regex(badSteps.stderr, /--steps needs a whole number ≥ 1, got "zero"/);
});

test('version, list and doctor outside a project', (t) => {
  const version = fastpy(['version']);
  t.regex(version.stdout, /^fastpy \d+\.\d+\.\d+ .*\nNode v\d+/);
  const list = fastpy(['list']);
  for (const command of [
    'new',
    'make:resource',
    'make:exception',
    'db:migrate',
    'db:seed',
    'route:list',
    'serve',
    'doctor',
    'version',
  ])
    t.regex(list.stdout, new RegExp(`^ {2}${command} +\\S`, 'm'), command);
  const doctor = fastpy(['doctor']);
  t.is(doctor.status, 0);
  t.regex(doctor.stdout, /^✓ Node v\d+.*\n✓ not inside a fastpy project/);
});

const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Fastpy Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Fastpy Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};
const git = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8' });

test('fastpy new makes a git repository with the project as its first commit (--skip-git: none; inside a repository: none of its own)', (t) => {
  const made = fastpy(['new', 'git-api', '--yes', '--skip-install'], undefined, GIT_IDENTITY);
  t.is(made.status, 0, made.stderr);
  const project = join(made.cwd, 'git-api');
  t.regex(made.stderr, /git: a new repository, with the project as its first commit/);
  t.regex(git(project, 'log', '--format=%s').stdout, /^Initial commit: git-api from generator-fastpy \d+\.\d+\.\d+\n$/);
  t.is(
    git(project, 'status', '--porcelain').stdout,
    '',
    'everything is committed; nothing generated is ignored by mistake',
  );
  const tracked = git(project, 'ls-files').stdout.split('\n');
  for (const file of [
    `vendor/fastpy-runtime-${PACKAGE_VERSION}.tgz`,
    'src/server.ts',
    'tests/auth.test.ts',
    '.env.example',
    '.env.test',
    '.yo-rc.json',
  ])
    t.true(tracked.includes(file), file);
  t.false(tracked.includes('.env'), 'the secrets in .env stay out');

  const skipped = fastpy(['new', 'no-git-api', '--yes', '--skip-install', '--skip-git'], undefined, GIT_IDENTITY);
  t.is(skipped.status, 0, skipped.stderr);
  t.false(existsSync(join(skipped.cwd, 'no-git-api', '.git')));
  t.notRegex(skipped.stderr, /git:/);

  // In a folder of an existing repository (a monorepo, say), the project is not made a repository of its own.
  const outer = made.cwd;
  const nested = fastpy(['new', 'inner-api', '--yes', '--skip-install'], project, GIT_IDENTITY);
  t.is(nested.status, 0, nested.stderr);
  t.false(existsSync(join(project, 'inner-api', '.git')));
  t.regex(
    nested.stderr,
    new RegExp(
      `git: the project is inside the repository at ${join(outer, 'git-api').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    ),
  );

  // Without an identity git cannot commit: the repository is made, and the line says what to do.
  const anonymous = fastpy(['new', 'anon-api', '--yes', '--skip-install'], undefined, {
    HOME: mkdtempSync(join(tmpdir(), 'fastpy-home-')),
    XDG_CONFIG_HOME: undefined,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: undefined,
    GIT_AUTHOR_EMAIL: undefined,
    GIT_COMMITTER_NAME: undefined,
    GIT_COMMITTER_EMAIL: undefined,
    EMAIL: undefined,
  });
  t.is(anonymous.status, 0, anonymous.stderr);
  t.regex(
    anonymous.stderr,
    /git: a repository was made, but git does not know who you are; commit when it does: git config --global user\.email/,
  );
});

test('run again on a project whose install never happened, fastpy new offers to finish it: install, databases, migrations — its files untouched', (t) => {
  const made = fastpy(['new', 'fin-api', '--yes', '--skip-install', '--skip-git']);
  t.is(made.status, 0, made.stderr);
  const project = join(made.cwd, 'fin-api');
  const env = readFileSync(join(project, '.env'), 'utf8');
  // Without a terminal and without --yes: what to run, nothing done.
  const asked = fastpy(['new', 'fin-api'], made.cwd);
  t.is(asked.status, 1);
  t.regex(
    asked.stderr,
    /fastpy: fin-api was made by fastpy but is not finished: run this again with --yes to finish it \(npm install, the databases, the migrations\)/,
  );
  // An npm that "installs" by linking this repository's packages and unpacking the project's
  // fastpy-runtime tarball (no network in a unit test).
  const bin = mkdtempSync(join(tmpdir(), 'fastpy-npm-'));
  const repoModules = new URL('../../node_modules', import.meta.url).pathname;
  const install = `mkdir node_modules node_modules/fastpy-runtime && ln -s "${repoModules}"/* "${repoModules}"/.bin node_modules/ && tar -xzf vendor/fastpy-runtime-*.tgz -C node_modules/fastpy-runtime --strip-components=1`;
  writeFileSync(
    join(bin, 'npm'),
    `#!/bin/sh\necho "npm $*" >> "${join(bin, 'calls')}"\n[ "$1" = install ] && ${install}\nexit 0\n`,
  );
  chmodSync(join(bin, 'npm'), 0o755);
  const finished = fastpy(['new', 'fin-api', '--yes'], made.cwd, { PATH: `${bin}:${process.env.PATH}` });
  t.is(finished.status, 0, finished.stderr);
  t.regex(readFileSync(join(bin, 'calls'), 'utf8'), /^npm install --no-audit --no-fund\n$/);
  t.regex(finished.stdout + finished.stderr, /Batch 1 run: 5 migrations/);
  t.regex(finished.stderr, /Finished fin-api \(sqlite\) in fin-api: its files were already there/);
  t.regex(finished.stderr, /Next:\n {2}cd fin-api\n {2}npm run dev/);
  t.is(readFileSync(join(project, '.env'), 'utf8'), env, 'nothing is written again (the secrets stay)');
  // Installed now: the folder is a project, not an unfinished one.
  t.regex(fastpy(['new', 'fin-api', '--yes'], made.cwd).stderr, /fin-api is not empty/);
});

test('a checkout installed without its build says to run npm run build, not a stack', (t) => {
  const checkout = mkdtempSync(join(tmpdir(), 'fastpy-unbuilt-'));
  mkdirSync(join(checkout, 'bin'));
  cpSync(new URL('../../bin/fastpy.js', import.meta.url), join(checkout, 'bin', 'fastpy.js'));
  const result = spawnSync(process.execPath, [join(checkout, 'bin', 'fastpy.js'), '--version'], { encoding: 'utf8' });
  t.is(result.status, 1);
  t.is(
    result.stderr,
    `fastpy is not built here (${checkout}/): run \`npm run build\` in that folder, then try again.\n`,
  );
});
