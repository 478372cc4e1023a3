// A new project's git repository and first commit, as `rails new` and `nest new` make them: the
// project is committed as generated, so the owner's first change is a diff against it. Skipped with
// a note (never an error) where git is missing, where the folder is already inside a repository,
// or where git has no identity to commit with.
import { spawnSync } from 'node:child_process';

export interface GitOutcome {
  /** Whether the project is now a repository holding the first commit. */
  committed: boolean;
  /** One line for the user: what was done, or why not and what to do. */
  note: string;
}

const git = (cwd: string, args: string[]) =>
  spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Makes `dir` a git repository with everything not ignored in one commit.
 *
 * @example
 * initialCommit('/work/shop-api', 'Initial commit: shop-api from generator-fastpy 0.1.0')
 * // { committed: true, note: 'git: a new repository, with the project as its first commit' }
 */
export function initialCommit(dir: string, message: string): GitOutcome {
  const version = git(dir, ['--version']);
  if (version.error || version.status !== 0)
    return {
      committed: false,
      note: 'git: not installed, so no repository was made (--skip-git says you do not want one)',
    };
  const inside = git(dir, ['rev-parse', '--show-toplevel']);
  if (inside.status === 0)
    return {
      committed: false,
      note: `git: the project is inside the repository at ${inside.stdout.trim()}; it is not made a repository of its own`,
    };
  const init = git(dir, ['init', '--quiet']);
  if (init.status !== 0) return { committed: false, note: `git: init failed: ${firstLine(init.stderr)}` };
  const add = git(dir, ['add', '--all']);
  if (add.status !== 0)
    return {
      committed: false,
      note: `git: a repository was made, but adding the files failed: ${firstLine(add.stderr)}`,
    };
  const commit = git(dir, ['commit', '--quiet', '--no-verify', '-m', message]);
  if (commit.status !== 0) {
    const identity = /user\.email|user\.name|identity/i.test(commit.stderr);
    return {
      committed: false,
      note: identity
        ? 'git: a repository was made, but git does not know who you are; commit when it does: git config --global user.email "you@example.com" && git commit -m "Initial commit"'
        : `git: a repository was made, but the first commit failed: ${firstLine(commit.stderr)}`,
    };
  }
  return { committed: true, note: 'git: a new repository, with the project as its first commit' };
}

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';
