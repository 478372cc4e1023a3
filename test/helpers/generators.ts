// Shared by the generator tests: running a generator that must fail, pretending to have a
// terminal, and reading what a run wrote.
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';

/** Pretends stdin is (or is not) a terminal; returns the function that undoes it. */
export function simulateTerminal(isTTY: boolean): () => void {
  const previous = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
  Object.defineProperty(process.stdin, 'isTTY', { value: isTTY, configurable: true });
  return () => {
    if (previous) Object.defineProperty(process.stdin, 'isTTY', previous);
    else delete (process.stdin as { isTTY?: boolean }).isTTY;
  };
}

/** The part of a yeoman-test run context these helpers use. */
interface RunContext extends PromiseLike<unknown> {
  onTargetDirectory(callback: (dir: string) => unknown): unknown;
}

/** Runs a generator that must fail; returns its error and the directory it ran in. */
export async function failing(context: RunContext): Promise<{ error: Error; dir: string }> {
  let dir = '';
  context.onTargetDirectory((target) => {
    dir = target;
  });
  try {
    await context;
  } catch (error) {
    return { error: error as Error, dir };
  }
  throw new Error('the generator was expected to fail');
}

/** Every file below a directory, relative to it, sorted. */
export function tree(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

export const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
