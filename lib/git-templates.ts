// `fastpy new --branch <ref>`: the project templates (generators/*/templates and runtime/) as they
// are at a git ref of the checkout fastpy runs from, extracted to a temporary folder (with the
// runtime packed, where it is a package).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './package.js';
import { UsageError } from './questions.js';

export interface RefTemplates {
  /** A folder laid out like the package: generators/<name>/templates/, runtime/. */
  dir: string;
  ref: string;
  commit: string;
  cleanup(): void;
}

/** Runs git in a checkout: whether it succeeded, and what it printed. */
export function git(root: string, args: string[]): { ok: boolean; out: string; err: string } {
  const result = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  return {
    ok: result.status === 0,
    out: (result.stdout ?? '').trim(),
    err: (result.stderr ?? result.error?.message ?? '').trim(),
  };
}

/**
 * Extracts the templates at `ref` (a branch, tag or commit; a remote branch as origin/<ref> too).
 *
 * @example
 * const templates = templatesAt('/src/generator-fastpy', 'dev'); // … templates.cleanup()
 */
export function templatesAt(root: string, ref: string): RefTemplates {
  if (!/^[\w./@^~-]+$/.test(ref) || ref.startsWith('-'))
    throw new UsageError(`--branch: "${ref}" is not a git ref name`, 'E_BRANCH');
  const commit = [ref, `origin/${ref}`]
    .map((candidate) => git(root, ['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`]))
    .find((result) => result.ok)?.out;
  if (!commit) {
    const branches = git(root, ['for-each-ref', '--format=%(refname:short)', 'refs/heads', 'refs/remotes', 'refs/tags'])
      .out.split('\n')
      .filter(Boolean);
    throw new UsageError(
      `--branch: no branch, tag or commit "${ref}" in ${root}${branches.length ? `; there are: ${branches.slice(0, 15).join(', ')}` : ''} (git fetch to get newer ones)`,
      'E_BRANCH',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'fastpy-templates-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const archive = join(dir, 'templates.tar');
  // The root tsconfig.json too: a packaged runtime's build extends it.
  const paths = [
    'generators',
    'runtime',
    ...(git(root, ['cat-file', '-e', `${commit}:tsconfig.json`]).ok ? ['tsconfig.json'] : []),
  ];
  const made = git(root, ['archive', '--format=tar', '-o', archive, commit, ...paths]);
  const unpacked = made.ok ? spawnSync('tar', ['-xf', archive, '-C', dir], { encoding: 'utf8' }) : undefined;
  if (!made.ok || unpacked?.status !== 0) {
    cleanup();
    throw new UsageError(
      `--branch ${ref}: could not read the templates at ${commit.slice(0, 12)} (${made.ok ? unpacked?.stderr || unpacked?.error?.message : made.err})`,
      'E_BRANCH',
    );
  }
  rmSync(archive);
  try {
    packRuntime(dir);
  } catch (error) {
    cleanup();
    throw new UsageError(
      `--branch ${ref}: could not build the runtime at ${commit.slice(0, 12)} (${(error as Error).message})`,
      'E_BRANCH',
    );
  }
  return { dir, ref, commit, cleanup };
}

/**
 * A ref whose runtime/ is the fastpy-runtime package (since 0.2): compiled and packed into
 * <dir>/dist/, as `npm run build` does, with this fastpy's dependencies (a ref before 0.2 is
 * copied as it is and needs nothing).
 */
function packRuntime(dir: string): void {
  if (!existsSync(join(dir, 'runtime', 'package.json'))) return;
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const steps: Array<[string, string[]]> = [
    [
      process.execPath,
      [join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join('runtime', 'tsconfig.build.json')],
    ],
    ['npm', ['pack', './runtime', '--pack-destination', 'dist', '--ignore-scripts', '--silent']],
  ];
  mkdirSync(join(dir, 'dist'));
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(
        `${[command, ...args].join(' ')}: ${(result.stdout + result.stderr).trim().slice(0, 2000) || result.error?.message}`,
      );
  }
}
