// `fastpy new --branch <ref>`: the templates and runtime of another git ref of fastpy's checkout.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import helpers from 'yeoman-test';
import AppGenerator from '../../generators/app/index.js';
import { refTemplates } from '../../lib/cli/commands/new.js';
import { templatesAt } from '../../lib/git-templates.js';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../lib/package.js';
import { fastpy } from '../helpers/cli.js';

const git = (cwd: string, ...args: string[]) => {
  const result = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
};

/** A repository laid out like fastpy's, with a "dev" branch whose README template and runtime differ. */
function repository(): string {
  const repo = mkdtempSync(join(tmpdir(), 'fastpy-branch-repo-'));
  git(repo, 'init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'generators', 'app'), { recursive: true });
  cpSync(join(PACKAGE_ROOT, 'generators', 'app', 'templates'), join(repo, 'generators', 'app', 'templates'), {
    recursive: true,
  });
  cpSync(join(PACKAGE_ROOT, 'runtime'), join(repo, 'runtime'), {
    recursive: true,
    filter: (source) => !source.endsWith('.js') && !source.includes('/runtime/dist'),
  });
  cpSync(join(PACKAGE_ROOT, 'tsconfig.json'), join(repo, 'tsconfig.json'));
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'templates');
  git(repo, 'checkout', '-q', '-b', 'dev');
  const readme = join(repo, 'generators', 'app', 'templates', 'README.md.ejs');
  writeFileSync(readme, `<%= name %>: made from the dev templates\n${readFileSync(readme, 'utf8')}`);
  writeFileSync(
    join(repo, 'runtime', 'app.ts'),
    `// dev runtime\n${readFileSync(join(repo, 'runtime', 'app.ts'), 'utf8')}`,
  );
  git(repo, 'commit', '-q', '-am', 'dev templates');
  git(repo, 'checkout', '-q', 'main');
  return repo;
}

test('the project is written from the templates and runtime at the ref, and records it', async (t) => {
  const repo = repository();
  const templates = templatesAt(repo, 'dev');
  t.teardown(() => templates.cleanup());
  t.is(templates.commit, git(repo, 'rev-parse', 'dev'));
  const result = await helpers
    .run(AppGenerator as never, {
      namespace: 'fastpy:app',
      resolved: new URL('../../generators/app/index.ts', import.meta.url).pathname,
    })
    .withArguments(['branchy'])
    .withOptions({
      yes: true,
      skipInstall: true,
      templatesFrom: templates.dir,
      templatesRef: `dev (${templates.commit.slice(0, 12)})`,
    } as never);
  const dir = join(result.cwd, 'branchy');
  t.regex(readFileSync(join(dir, 'README.md'), 'utf8'), /^branchy: made from the dev templates\n/);
  // The ref's runtime, built and packed: the project depends on that tarball.
  const tarball = join(dir, 'vendor', `fastpy-runtime-${PACKAGE_VERSION}.tgz`);
  t.is(
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies['fastpy-runtime'],
    `file:vendor/fastpy-runtime-${PACKAGE_VERSION}.tgz`,
  );
  t.regex(execFileSync('tar', ['-xzOf', tarball, 'package/dist/app.js'], { encoding: 'utf8' }), /^\/\/ dev runtime\n/);
  t.false(existsSync(join(dir, 'src', 'app.ts')));
  t.is(
    JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-fastpy'].templatesRef,
    `dev (${templates.commit.slice(0, 12)})`,
  );
});

test('an unknown ref lists the ones there are; an npm install says --branch needs a checkout', (t) => {
  const repo = repository();
  t.throws(() => templatesAt(repo, 'nope'), {
    message: `--branch: no branch, tag or commit "nope" in ${repo}; there are: dev, main (git fetch to get newer ones)`,
  });
  t.throws(() => templatesAt(repo, '--upload-pack=x'), {
    message: '--branch: "--upload-pack=x" is not a git ref name',
  });
  t.throws(() => refTemplates('dev', { kind: 'npm-global', root: '/usr/lib/node_modules/generator-fastpy' }), {
    message:
      /^--branch takes the templates from a branch of fastpy's git checkout, and this fastpy \(\/usr\/lib\/node_modules\/generator-fastpy\) was installed with npm, not from a checkout/,
  });
});

test('fastpy new --branch HEAD works from this checkout; a bad ref writes nothing', (t) => {
  const made = fastpy(['new', 'head-api', '--yes', '--skip-install', '--branch', 'HEAD']);
  t.is(made.status, 0, made.stderr);
  t.regex(readFileSync(join(made.cwd, 'head-api', '.yo-rc.json'), 'utf8'), /"templatesRef": "HEAD \([0-9a-f]{12}\)"/);
  const bad = fastpy(['new', 'bad-api', '--yes', '--skip-install', '--branch', 'no-such-branch-xyz']);
  t.is(bad.status, 1);
  t.regex(bad.stderr, /^fastpy: --branch: no branch, tag or commit "no-such-branch-xyz"/);
  t.false(existsSync(join(bad.cwd, 'bad-api')), 'nothing written');
});
