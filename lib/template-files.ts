// The generators' template files as the CLI sees them, without Yeoman: `fastpy stubs:publish`
// lists and copies them, and loading the generator base class (Yeoman's module graph) for that
// would slow every `fastpy` command, --version included.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Where a project keeps its own copies of the generators' templates. */
export const PROJECT_TEMPLATES = '.fastpy/templates';

/** Every file below a directory, as paths relative to it (sorted, so output order is stable). */
export function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)))
    .sort();
}
