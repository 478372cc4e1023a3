// What a generator may learn from the project's own database, asked through the project itself
// (`src/console.ts inspect`, with its settings and drivers): which migrations ran, and how many rows
// of a table have no value in a column. Only asked when a decision depends on it; when the project
// cannot answer (not installed, no database running) the generator takes the cautious path.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseInspection } from '../runtime/console-tasks.js';

export type ProjectDatabase = { known: true; inspection: DatabaseInspection } | { known: false; reason: string };

/**
 * Asks the project's database (within `timeoutMs`).
 *
 * @example
 * const facts = inspectProjectDatabase(root, 'posts', ['subtitle']);
 * if (facts.known) facts.inspection.migrations.run // ['20260101000000_create_users_table.ts', …]
 */
export function inspectProjectDatabase(
  root: string,
  table?: string,
  columns: readonly string[] = [],
  timeoutMs = 30_000,
): ProjectDatabase {
  if (!existsSync(join(root, 'node_modules', 'tsx')))
    return { known: false, reason: "the project's dependencies are not installed" };
  if (!existsSync(join(root, 'src', 'console.ts')))
    return { known: false, reason: 'the project has no src/console.ts' };
  const args = [
    '--import',
    'tsx',
    'src/console.ts',
    'inspect',
    ...(table ? ['--table', table] : []),
    ...(columns.length > 0 ? ['--columns', columns.join(',')] : []),
  ];
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, LOG_LEVEL: 'error' },
  });
  if (result.error) return { known: false, reason: result.error.message };
  if (result.status !== 0)
    return {
      known: false,
      reason:
        (result.stderr || result.stdout)
          .trim()
          .split('\n')
          .find((line) => line.trim() !== '') ?? `exit code ${result.status}`,
    };
  try {
    return { known: true, inspection: JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as DatabaseInspection };
  } catch {
    return { known: false, reason: 'the project answered with something other than JSON' };
  }
}
