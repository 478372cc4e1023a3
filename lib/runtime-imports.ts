// How a project's files import the runtime. A project made since 0.2 depends on the fastpy-runtime
// package and imports each module through its area's entry point ('fastpy-runtime/http'); a project
// made before keeps the runtime copied into src/ and imports it by relative path. The generators'
// templates name the runtime module (`<%- runtime('controllers/resource-controller') %>`) and this
// gives the specifier for the file being written, so one template serves both.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { RUNTIME_DIR } from './package.js';

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

let areas: Map<string, string> | undefined;

/**
 * Each runtime module (as 'controllers/resource-controller') and the entry point that exports it
 * ('fastpy-runtime/http'), read from the package's entry files: `exports` in runtime/package.json.
 */
export function runtimeAreas(dir: string = RUNTIME_DIR): Map<string, string> {
  if (dir === RUNTIME_DIR && areas) return areas;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { default: string }>;
  };
  // A module belongs to the entry point that exports all of it (`export *`), else to the first that
  // exports some of it (libs/index.ts picks the facades' names), in the manifest's order.
  const whole = new Map<string, string>();
  const partly = new Map<string, string>();
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    const compiled = typeof target === 'string' ? target : target.default;
    if (!compiled.startsWith('./dist/')) continue;
    const entry = compiled.slice('./dist/'.length).replace(/\.js$/, '');
    const specifier = subpath === '.' ? RUNTIME_PACKAGE : `${RUNTIME_PACKAGE}/${subpath.slice(2)}`;
    whole.set(entry, specifier);
    const source = readFileSync(join(dir, `${entry}.ts`), 'utf8');
    for (const [, names, from] of source.matchAll(/^export (?:type )?(\*|\{[^}]*\}) from '(\.{1,2}\/[^']+)\.js';$/gm)) {
      const module = join(dirname(entry), from!);
      const map = names === '*' ? whole : partly;
      if (!map.has(module)) map.set(module, specifier);
    }
  }
  const map = new Map([...partly, ...whole]);
  if (dir === RUNTIME_DIR) areas = map;
  return map;
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
