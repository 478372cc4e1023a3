// This package on disk: its root, version, and the runtime/ (the fastpy-runtime package) whose
// sources generated projects get in src/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from './template-files.js';

/** The generator-fastpy package root (this file is lib/package.{ts,js}). */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** runtime/: the fastpy-runtime package, whose TypeScript every generated project's src/ holds. */
export const RUNTIME_DIR = join(PACKAGE_ROOT, 'runtime');

export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

/** Entry points of the runtime a project imports through an alias of its package.json "imports". */
export const RUNTIME_ALIASES: Readonly<Record<string, string>> = { '#libs': 'libs/index.ts' };

/** The source files of a package's entry points (`exports`), relative to its root: './http' → 'http.ts'. */
function entrySources(dir: string): Set<string> {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return new Set();
  const exports =
    (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, string | { default?: string }> })
      .exports ?? {};
  return new Set(
    Object.values(exports)
      .map((target) => (typeof target === 'string' ? target : target.default))
      .filter((target): target is string => typeof target === 'string' && target.startsWith('./dist/'))
      .map((target) => target.slice('./dist/'.length).replace(/\.js$/, '.ts')),
  );
}

/**
 * The runtime's TypeScript a project's src/ gets, relative to `dir` (this package's runtime/, or an
 * older version's with `fastpy new --branch`): not its build output, its tests, the package's entry
 * points (but those the project's aliases name), or the facades' usage examples older versions kept
 * in libs/usage/.
 */
export function runtimeSources(dir: string = RUNTIME_DIR): string[] {
  const entries = entrySources(dir);
  for (const file of Object.values(RUNTIME_ALIASES)) entries.delete(file);
  return listFiles(dir).filter(
    (file) =>
      file.endsWith('.ts') &&
      !file.endsWith('.d.ts') &&
      !file.endsWith('.test.ts') &&
      !file.startsWith('dist/') &&
      !file.startsWith('libs/usage/') &&
      !entries.has(file),
  );
}

/** Where a project keeps the packed runtime it depends on (a `file:` dependency). */
export const VENDOR_DIR = 'vendor';

/** A runtime dir's packed tarball, as `npm run build` makes it (dist/ beside runtime/), and its version. */
export function runtimeTarball(dir: string = RUNTIME_DIR): { version: string; name: string; path: string } {
  const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const file = `${name}-${version}.tgz`;
  return { version, name: file, path: join(dir, '..', 'dist', file) };
}

/** Whether a runtime dir is the fastpy-runtime package (since 0.2) or sources to copy (earlier versions, `new --branch`). */
export const isRuntimePackage = (dir: string): boolean => existsSync(join(dir, 'package.json'));

/** The framework's migrations a new project starts its history with (runtime/database/migrations/). */
export const runtimeMigrations = (dir: string = RUNTIME_DIR): string[] =>
  listFiles(join(dir, 'database', 'migrations'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `database/migrations/${file}`);
