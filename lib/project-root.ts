// Finding the fastpy project a command runs in: the nearest folder whose .yo-rc.json has a
// "generator-fastpy" section.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from './questions.js';

/** The project root at or above `cwd`, or undefined. */
export function findProjectRoot(cwd: string): string | undefined {
  let dir = cwd;
  for (;;) {
    const file = join(dir, '.yo-rc.json');
    if (existsSync(file)) {
      try {
        if ((JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)['generator-fastpy']) return dir;
      } catch {
        // An unreadable .yo-rc.json is not ours; keep looking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The project root, or a UsageError saying the command needs a project.
 *
 * @example
 * const root = requireProjectRoot(process.cwd(), 'fastpy make:resource');
 */
export function requireProjectRoot(cwd: string, command: string): string {
  const root = findProjectRoot(cwd);
  if (!root) {
    throw new UsageError(
      `${command} runs inside a fastpy project, and ${cwd} is not in one (no .yo-rc.json with a "generator-fastpy" section here or above). Create a project with \`fastpy new <name>\`, or cd into one.`,
      'E_NOT_A_PROJECT',
    );
  }
  return root;
}

/** The resources a project's .yo-rc.json records: class name → its table and field specs. */
export function projectResources(root: string): Record<string, { table: string; fields: string[] }> {
  const config = JSON.parse(readFileSync(join(root, '.yo-rc.json'), 'utf8')) as {
    'generator-fastpy'?: { resources?: Record<string, { table: string; fields: string[] }> };
  };
  const resources = config['generator-fastpy']?.resources ?? {};
  return Object.fromEntries(
    Object.entries(resources).map(([className, resource]) => [
      className,
      { table: resource.table, fields: [...resource.fields] },
    ]),
  );
}
