// `fastpy eject <part>`: one part of fastpy-runtime becomes the owner's. Its TypeScript source is
// copied to src/<part>.ts (its imports of the rest of the runtime pointed at the package), the
// project's imports of what it exports are pointed at the copy, and .yo-rc.json records it: the
// generators import the copy from then on, and `fastpy update` says it no longer updates it. The
// runtime's own code keeps using its part.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { closest } from '../runtime/fields/spec.js';
import { formatText } from './format.js';
import { RUNTIME_ALIASES, runtimeSources, runtimeTarball, RUNTIME_DIR } from './package.js';
import { UsageError } from './questions.js';
import { dependsOnRuntime, RUNTIME_PACKAGE, runtimeAreas, runtimeImport } from './runtime-imports.js';

/** The parts that can be ejected: the runtime's modules ('middleware/rate-limit'), not its migrations. */
export function ejectableParts(dir: string = RUNTIME_DIR): string[] {
  const areas = runtimeAreas(dir);
  return runtimeSources(dir)
    .filter((file) => !file.startsWith('database/migrations/'))
    .map((file) => file.replace(/\.ts$/, ''))
    .filter((module) => areas.has(module));
}

/** The parts a project has ejected, from its .yo-rc.json. */
export function ejectedParts(root: string): string[] {
  const config = JSON.parse(readFileSync(join(root, '.yo-rc.json'), 'utf8')) as Record<string, { ejected?: string[] }>;
  return [...(config['generator-fastpy']?.ejected ?? [])];
}

/** The names a module exports (its own declarations and `export { … }` lists). */
export function exportedNames(source: string): Set<string> {
  const names = new Set<string>();
  for (const [, name] of source.matchAll(
    /^export (?:declare )?(?:default )?(?:abstract )?(?:async )?(?:function\*?|class|const|let|var|interface|type|enum) ([A-Za-z_$][\w$]*)/gm,
  ))
    names.add(name!);
  for (const [, list] of source.matchAll(/^export (?:type )?\{([^}]*)\}(?! from)/gm)) {
    for (const item of list!.split(',')) {
      const name = item
        .trim()
        .replace(/^type /, '')
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) names.add(name);
    }
  }
  return names;
}

/** A module's relative imports of other runtime modules, pointed at the package's entry points. */
function importsFromPackage(source: string, part: string): string {
  return source.replace(/(from |import\()'(\.{1,2}\/[^']+)\.js'/g, (_whole, keyword: string, path: string) => {
    const module = join(dirname(part), path);
    return `${keyword}'${runtimeImport('package', `src/${part}.ts`, module)}'`;
  });
}

/** Every .ts file of the project's src/ and tests/, relative to the root. */
function projectFiles(root: string): string[] {
  const files: string[] = [];
  for (const top of ['src', 'tests']) {
    if (!existsSync(join(root, top))) continue;
    for (const entry of readdirSync(join(root, top), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) files.push(relative(root, join(entry.parentPath, entry.name)));
    }
  }
  return files.sort();
}

/**
 * A project file's imports of `names` from `specifiers` (the part's entry point, or an alias of it),
 * moved to an import of the ejected copy. Returns the text unchanged when it imports none of them.
 */
export function pointImportsAt(
  text: string,
  file: string,
  part: string,
  names: ReadonlySet<string>,
  specifiers: readonly string[],
): string {
  // The copy is where a copied runtime keeps the module: its relative path from this file.
  const target = runtimeImport('copied', file, part);
  return text.replace(
    /^import (type )?\{([^}]*)\} from '([^']+)';$/gm,
    (statement, typeOnly: string | undefined, list: string, specifier: string) => {
      if (!specifiers.includes(specifier)) return statement;
      const items = list
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      const bare = (item: string) =>
        item
          .replace(/^type /, '')
          .split(/\s+as\s+/)[0]!
          .trim();
      const moved = items.filter((item) => names.has(bare(item)));
      if (moved.length === 0) return statement;
      const kept = items.filter((item) => !names.has(bare(item)));
      const statementOf = (chosen: string[], from: string) =>
        `import ${typeOnly ?? ''}{ ${chosen.join(', ')} } from '${from}';`;
      return [...(kept.length > 0 ? [statementOf(kept, specifier)] : []), statementOf(moved, target)].join('\n');
    },
  );
}

export interface EjectResult {
  /** The copy, relative to the project. */
  file: string;
  /** The project files whose imports now point at it. */
  repointed: string[];
}

/**
 * Ejects `part` in the project at `root` (see the top of this file).
 *
 * @example
 * eject('/work/shop', 'controllers/resource-controller') // { file: 'src/controllers/resource-controller.ts', repointed: ['src/controllers/post-controller.ts'] }
 */
export async function eject(root: string, part: string): Promise<EjectResult> {
  const parts = ejectableParts();
  if (!parts.includes(part)) {
    const suggestion = closest(part, parts);
    throw new UsageError(
      `"${part}" is not a part of ${RUNTIME_PACKAGE}${suggestion ? ` (did you mean ${suggestion}?)` : ''}: fastpy eject --list lists them`,
      'E_USAGE',
    );
  }
  if (!dependsOnRuntime(root))
    throw new UsageError(
      `this project has the runtime copied into src/ (it was made before fastpy 0.2): every part of it is already yours, in src/`,
      'E_COPIED_RUNTIME',
    );
  const file = `src/${part}.ts`;
  if (ejectedParts(root).includes(part) || existsSync(join(root, file)))
    throw new UsageError(
      `${file} is there already: ${part} is yours (ejected before, or a file of your own in its place)`,
      'E_EXISTS',
    );
  // The source is this fastpy's: the project must have the same runtime, or the copy would not be the code it runs.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const { version, name } = runtimeTarball();
  if (!pkg.dependencies[RUNTIME_PACKAGE]!.endsWith(name) && pkg.dependencies[RUNTIME_PACKAGE] !== version) {
    throw new UsageError(
      `this project has ${RUNTIME_PACKAGE} ${pkg.dependencies[RUNTIME_PACKAGE]}, and this fastpy's is ${version}: run fastpy update first, so the part you eject is the code your project runs`,
      'E_VERSION',
    );
  }
  const source = readFileSync(join(RUNTIME_DIR, `${part}.ts`), 'utf8');
  const header = `// Ejected from ${RUNTIME_PACKAGE} ${version} (fastpy eject ${part}): yours now; fastpy update leaves it alone.\n`;
  const writes = new Map<string, string>([
    [file, await formatText(join(root, file), header + importsFromPackage(source, part))],
  ]);
  // The specifiers the project may import the part by: its entry point, and any alias of that entry.
  const entry = runtimeImport('package', file, part);
  const aliases = Object.entries(RUNTIME_ALIASES)
    .filter(([, module]) => runtimeImport('package', file, module.replace(/\.ts$/, '')) === entry)
    .map(([alias]) => alias);
  const names = exportedNames(source);
  const repointed: string[] = [];
  for (const project of projectFiles(root)) {
    const text = readFileSync(join(root, project), 'utf8');
    const changed = pointImportsAt(text, project, part, names, [entry, ...aliases]);
    if (changed === text) continue;
    writes.set(project, await formatText(join(root, project), changed));
    repointed.push(project);
  }
  const configFile = join(root, '.yo-rc.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, Record<string, unknown>>;
  config['generator-fastpy'] = { ...config['generator-fastpy'], ejected: [...ejectedParts(root), part].sort() };
  writes.set('.yo-rc.json', `${JSON.stringify(config, null, 2)}\n`);
  for (const [path, text] of writes) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { file, repointed };
}
