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

/**
 * Templates a generator renders from another generator's folder, by the name a project publishes
 * them under (.fastpy/templates/<generator>/<name>): make:resource User renders the users' model
 * from the app's src/models/user.ts.ejs, the one `fastpy new` writes.
 */
export const SHARED_TEMPLATES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  resource: { 'user-model.ts.ejs': 'app/templates/src/models/user.ts.ejs' },
};

/**
 * A generator's templates: each file's name (relative to its folder, or a shared template's name)
 * and where the generator's own copy is.
 *
 * @example
 * generatorTemplates('/pkg/generators', 'resource') // [{ name: 'controller.ts.ejs', source: '/pkg/generators/resource/templates/controller.ts.ejs' }, …, { name: 'user-model.ts.ejs', source: '/pkg/generators/app/templates/src/models/user.ts.ejs' }]
 */
export function generatorTemplates(generators: string, generator: string): { name: string; source: string }[] {
  const folder = join(generators, generator, 'templates');
  return [
    ...listFiles(folder).map((name) => ({ name, source: join(folder, name) })),
    ...Object.entries(SHARED_TEMPLATES[generator] ?? {}).map(([name, path]) => ({
      name,
      source: join(generators, path),
    })),
  ];
}
