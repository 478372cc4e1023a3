// `fastpy upgrade`: says how this fastpy was installed and how to update it, and does it where it
// can — a git checkout is pulled (fast-forward only) and rebuilt; a global npm install is
// reinstalled at the registry's latest version.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { Command } from 'commander';
import { git } from '../../git-templates.js';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../package.js';
import { UsageError } from '../../questions.js';
import { confirm } from '../terminal.js';

const NAME = 'generator-fastpy';

interface Step {
  command: string;
  args: string[];
  cwd: string;
}

export type Install =
  | { kind: 'git'; root: string; branch: string; commit: string; dirty: boolean; upstream: string | undefined }
  | { kind: 'npm-global'; root: string }
  | { kind: 'dependency'; root: string; project: string };

/** What git printed, or undefined when it failed. */
const gitOut = (root: string, ...args: string[]): string | undefined => {
  const result = git(root, args);
  return result.ok ? result.out : undefined;
};

/** How the package at `root` was installed. */
export function detectInstall(root = PACKAGE_ROOT): Install {
  const clean = root.replace(/[/\\]+$/, '');
  if (existsSync(join(clean, '.git'))) {
    return {
      kind: 'git',
      root: clean,
      branch: gitOut(clean, 'rev-parse', '--abbrev-ref', 'HEAD') ?? '(unknown)',
      commit: gitOut(clean, 'rev-parse', '--short', 'HEAD') ?? '(unknown)',
      dirty: (gitOut(clean, 'status', '--porcelain', '--untracked-files=no') ?? '') !== '',
      upstream: gitOut(clean, 'rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'),
    };
  }
  // <prefix>/lib/node_modules/generator-fastpy (or <prefix>/node_modules/… on Windows) is global;
  // <project>/node_modules/generator-fastpy is a project's dependency.
  const parent = dirname(clean);
  const owner = dirname(parent);
  const global = clean.endsWith(`${sep}lib${sep}node_modules${sep}${NAME}`) || !existsSync(join(owner, 'package.json'));
  return global ? { kind: 'npm-global', root: clean } : { kind: 'dependency', root: clean, project: owner };
}

/** The steps that update it, or why it cannot be done here (with what to do instead). */
export function upgradeSteps(install: Install): { steps: Step[]; blocked?: string } {
  if (install.kind === 'git') {
    if (install.dirty)
      return {
        steps: [],
        blocked: `${install.root} has uncommitted changes to tracked files: commit or stash them, then run fastpy upgrade again`,
      };
    if (!install.upstream)
      return {
        steps: [],
        blocked: `the branch ${install.branch} in ${install.root} tracks no remote branch: git -C ${install.root} branch --set-upstream-to origin/<branch>, then run fastpy upgrade again`,
      };
    return {
      steps: [
        { command: 'git', args: ['-C', install.root, 'pull', '--ff-only'], cwd: install.root },
        // npm install runs the package's prepare script, which builds it.
        { command: 'npm', args: ['install', '--no-audit', '--no-fund'], cwd: install.root },
      ],
    };
  }
  if (install.kind === 'npm-global')
    return { steps: [{ command: 'npm', args: ['install', '--global', `${NAME}@latest`], cwd: process.cwd() }] };
  return { steps: [{ command: 'npm', args: ['install', '--save-dev', `${NAME}@latest`], cwd: install.project }] };
}

const show = (step: Step) =>
  `${step.command} ${step.args.join(' ')}${step.command === 'npm' && !step.args.includes('--global') ? ` (in ${step.cwd})` : ''}`;

/** The latest version on the registry, or why it is unknown. */
function latestVersion(): { version?: string; problem?: string } {
  const result = spawnSync('npm', ['view', NAME, 'version'], { encoding: 'utf8', timeout: 30_000 });
  if (result.status === 0 && result.stdout.trim()) return { version: result.stdout.trim() };
  if (/E404|404 Not Found/.test(result.stderr))
    return {
      problem: `${NAME} is not published on the npm registry: reinstall it from where you got it (a git checkout, or a tarball)`,
    };
  return {
    problem: `the npm registry could not be asked (${(result.stderr || result.error?.message || '').trim().split('\n')[0]})`,
  };
}

/**
 * Reports and, with `yes` (or a confirmation), upgrades. Returns the exit code.
 *
 * @example
 * await upgrade(detectInstall(), { check: true }) // prints how fastpy was installed and the update steps
 */
export async function upgrade(install: Install, options: { check?: boolean; yes?: boolean } = {}): Promise<number> {
  console.log(`fastpy ${PACKAGE_VERSION} at ${install.root}`);
  if (install.kind === 'git')
    console.log(
      `installed from a git checkout: branch ${install.branch} at ${install.commit}${install.upstream ? `, tracking ${install.upstream}` : ''}`,
    );
  if (install.kind === 'npm-global') console.log('installed globally with npm');
  if (install.kind === 'dependency') console.log(`installed as a dependency of ${install.project}`);
  if (install.kind !== 'git' && !options.check) {
    const latest = latestVersion();
    if (latest.problem) throw new UsageError(latest.problem, 'E_UPGRADE');
    if (latest.version === PACKAGE_VERSION) {
      console.log(`${PACKAGE_VERSION} is the latest version.`);
      return 0;
    }
    console.log(`latest: ${latest.version}`);
  }
  const { steps, blocked } = upgradeSteps(install);
  if (blocked) throw new UsageError(`cannot upgrade: ${blocked}`, 'E_UPGRADE');
  console.log(`\nTo upgrade:\n${steps.map((step) => `  ${show(step)}`).join('\n')}`);
  if (options.check) return 0;
  if (!options.yes) {
    if (!process.stdin.isTTY) {
      console.log('\nNot run: no terminal to confirm on. Run fastpy upgrade --yes to do it.');
      return 0;
    }
    if (!(await confirm('\nRun these now? [y/N] '))) return 0;
  }
  for (const step of steps) {
    console.log(`\n$ ${show(step)}`);
    const result = spawnSync(step.command, step.args, { cwd: step.cwd, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(
        `fastpy: ${show(step)} failed (${result.error?.message ?? `exit ${result.status}`}); fastpy is as it was before this step.`,
      );
      return 1;
    }
  }
  console.log(
    install.kind === 'git' ? `\nUpgraded to ${gitOut(install.root, 'rev-parse', '--short', 'HEAD')}.` : '\nUpgraded.',
  );
  return 0;
}

export function registerUpgrade(program: Command): void {
  program
    .command('upgrade')
    .description('update fastpy: pulls and rebuilds a git checkout, reinstalls an npm install (asks first)')
    .option('--check', 'only say how fastpy was installed and what updating would run')
    .option('-y, --yes', 'update without asking')
    .action(async (options: { check?: boolean; yes?: boolean }) => {
      const code = await upgrade(detectInstall(), options);
      if (code !== 0) process.exitCode = code;
    });
}
