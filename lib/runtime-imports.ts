// How a project's files import the runtime. A project made since 0.2 depends on the fastpy-runtime
// package and imports each module through its area's entry point ('fastpy-runtime/http'); a project
// made before keeps the runtime copied into src/ and imports it by relative path. The generators'
// templates name the runtime module (`<%- runtime('controllers/resource-controller') %>`) and this
// gives the specifier for the file being written, so one template serves both.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { RUNTIME_ALIASES, RUNTIME_DIR } from './package.js';

export const RUNTIME_PACKAGE = 'fastpy-runtime';

/** How a project has the runtime: as a dependency, or copied into src/ (projects made before 0.2). */
export type RuntimeLayout = 'package' | 'copied';

/** Whether the project at `root` depends on fastpy-runtime (its package.json says so). */
export function dependsOnRuntime(root: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    return pkg.dependencies?.[RUNTIME_PACKAGE] !== undefined;
  } catch {
    return false; // no package.json, or one that does not parse: it says nothing
  }
}

/** The layout of the project at `root` (a project not written yet: 'package'). */
export function runtimeLayout(root: string): RuntimeLayout {
  if (dependsOnRuntime(root)) return 'package';
  return existsSync(join(root, 'src', 'controllers', 'resource-controller.ts')) ? 'copied' : 'package';
}

/** The folder part a runtime module is in ('libs/cache' for libs/cache/drivers/redis), if any. */
export function folderPartOf(module: string, dir: string = RUNTIME_DIR): string | undefined {
  const parts = module.split('/');
  // An area's own folder (auth/, libs/) holds parts; a folder below it with an index.ts is one.
  for (let depth = 2; depth < parts.length; depth += 1) {
    const folder = parts.slice(0, depth).join('/');
    if (existsSync(join(dir, folder, 'index.ts'))) return folder;
  }
  return undefined;
}

interface RuntimeExports {
  /** Each module and the entry point it is imported by. */
  areas: Map<string, string>;
  /** Each module and every entry point that exports any of it (the aliases' too). */
  exporters: Map<string, Set<string>>;
}

let cached: RuntimeExports | undefined;

/**
 * Which entry points export which modules, read from the package's entry files (`exports` in
 * runtime/package.json) and the `export … from` chains below them (libs/index.ts → libs/cache/index.ts
 * → libs/cache/manager.ts). A module belongs to the entry point that exports all of it (`export *`
 * all the way), else to the first that exports some of it (libs/index.ts picks the facades' names),
 * in the manifest's order.
 */
function runtimeExports(dir: string): RuntimeExports {
  if (dir === RUNTIME_DIR && cached) return cached;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { default: string }>;
  };
  const whole = new Map<string, string>();
  const partly = new Map<string, string>();
  const exporters = new Map<string, Set<string>>();
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    const compiled = typeof target === 'string' ? target : target.default;
    if (!compiled.startsWith('./dist/')) continue;
    const specifier = subpath === '.' ? RUNTIME_PACKAGE : `${RUNTIME_PACKAGE}/${subpath.slice(2)}`;
    const reached = new Set<string>();
    const walk = (module: string, all: boolean) => {
      const map = all ? whole : partly;
      if (!map.has(module)) map.set(module, specifier);
      if (!exporters.has(module)) exporters.set(module, new Set());
      exporters.get(module)!.add(specifier);
      if (reached.has(`${module}:${all}`)) return;
      reached.add(`${module}:${all}`);
      const source = readFileSync(join(dir, `${module}.ts`), 'utf8');
      for (const [, names, from] of source.matchAll(/^export (?:type )?(\*|\{[^}]*\}) from '(\.{1,2}\/[^']+)\.js';$/gm))
        walk(join(dirname(module), from!), all && names === '*');
    };
    walk(compiled.slice('./dist/'.length).replace(/\.js$/, ''), true);
  }
  for (const [alias, file] of Object.entries(RUNTIME_ALIASES)) {
    const entry = file.replace(/\.ts$/, '');
    const entrySpecifier = whole.get(entry);
    for (const specifiers of exporters.values())
      if (entrySpecifier && specifiers.has(entrySpecifier)) specifiers.add(alias);
  }
  const result = { areas: new Map([...partly, ...whole]), exporters };
  if (dir === RUNTIME_DIR) cached = result;
  return result;
}

/**
 * Each runtime module (as 'controllers/resource-controller') and the entry point that exports it
 * ('fastpy-runtime/http').
 */
export function runtimeAreas(dir: string = RUNTIME_DIR): Map<string, string> {
  return runtimeExports(dir).areas;
}

/**
 * Every specifier a project may import a runtime module's names by: each entry point that exports
 * any of it, and the aliases of those ('#libs').
 */
export function runtimeExporters(module: string, dir: string = RUNTIME_DIR): Set<string> {
  return new Set(runtimeExports(dir).exporters.get(module));
}

/**
 * The specifier a project file imports a runtime module by.
 *
 * @example
 * runtimeImport('package', 'src/controllers/post-controller.ts', 'controllers/resource-controller') // 'fastpy-runtime/http'
 * runtimeImport('copied', 'src/controllers/post-controller.ts', 'controllers/resource-controller') // './resource-controller.js'
 */
export function runtimeImport(layout: RuntimeLayout, file: string, module: string): string {
  if (layout === 'copied') {
    const path = relative(dirname(file), join('src', `${module}.js`));
    return path.startsWith('.') ? path : `./${path}`;
  }
  const specifier = runtimeAreas().get(module);
  if (!specifier)
    throw new TypeError(
      `runtime module ${module} is exported by no entry point of ${RUNTIME_PACKAGE} (runtime/package.json)`,
    );
  return specifier;
}
