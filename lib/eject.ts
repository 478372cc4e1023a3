// `fastpy eject <part>`: one part of fastpy-runtime becomes the owner's. A part is a module
// (middleware/rate-limit) or a folder with an index.ts inside an area (libs/cache: a facade with its
// manager and drivers; fields/types). Its TypeScript source is copied to src/<part>.ts, or
// src/<part>/ (its imports of the rest of the runtime pointed at the package, a folder's imports
// within itself kept), the project's imports of what it exports are pointed at the copy, and
// .yo-rc.json records it: the generators import the copy from then on, and `fastpy update` says it
// no longer updates it. The runtime's own code keeps using its part, except for the facades the
// project's composition root gives it (src/bootstrap.ts: Mail, Hash, Storage).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { RuntimeFacades } from '../runtime/app.js';
import { closest } from '../runtime/fields/spec.js';
import { formatText } from './format.js';
import { runtimeSources, runtimeTarball, RUNTIME_DIR } from './package.js';
import { UsageError } from './questions.js';
import {
  dependsOnRuntime,
  folderPartOf,
  RUNTIME_PACKAGE,
  runtimeAreas,
  runtimeExporters,
  runtimeImport,
} from './runtime-imports.js';

/** Modules whose copy would not be code of the owner's: why each is not ejected. */
const NOT_EJECTABLE: Readonly<Record<string, string>> = {
  'libs/config':
    'it holds the settings and connections every facade shares, and a copy would be a second set the facades never see: eject the facade you want to change (say libs/mail)',
  'libs/index': 'it only gathers the facades for #libs: eject the facade you want to change (say libs/mail)',
};

/** The parts that can be ejected: the runtime's modules ('middleware/rate-limit') and folders ('libs/cache'), not its migrations. */
export function ejectableParts(dir: string = RUNTIME_DIR): string[] {
  const areas = runtimeAreas(dir);
  const parts = new Set<string>();
  for (const file of runtimeSources(dir)) {
    const module = file.replace(/\.ts$/, '');
    if (file.startsWith('database/migrations/') || !areas.has(module) || module in NOT_EJECTABLE) continue;
    parts.add(folderPartOf(module, dir) ?? module);
  }
  return [...parts].sort();
}

/** Whether a part is a folder (libs/cache), not a module. */
const isFolder = (part: string, dir: string) => folderPartOf(`${part}/index`, dir) === part;

/** Where a part is in a project once ejected: src/<part>.ts, or src/<part>/ for a folder. */
export function partPath(part: string, dir: string = RUNTIME_DIR): string {
  return isFolder(part, dir) ? `src/${part}/` : `src/${part}.ts`;
}

/** A part's modules ('libs/cache/manager', …), relative to the runtime. */
function partModules(part: string, dir: string = RUNTIME_DIR): string[] {
  if (!isFolder(part, dir)) return [part];
  return readdirSync(join(dir, part), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !/\.(d|test)\.ts$/.test(entry.name))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).replace(/\.ts$/, ''))
    .sort();
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

/** A module's relative imports of other runtime modules (outside its part), pointed at the package's entry points. */
function importsFromPackage(source: string, module: string, part: string): string {
  return source.replace(/(from |import\()'(\.{1,2}\/[^']+)\.js'/g, (whole, keyword: string, path: string) => {
    const imported = join(dirname(module), path);
    if (imported.startsWith(`${part}/`)) return whole;
    return `${keyword}'${runtimeImport('package', `src/${module}.ts`, imported)}'`;
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
 * A project file's imports of `names` from `specifiers` (the part's entry points, and their aliases),
 * moved to an import of the ejected copy of `module` (a folder part's index). Returns the text unchanged when it imports none of them.
 */
export function pointImportsAt(
  text: string,
  file: string,
  module: string,
  names: ReadonlySet<string>,
  specifiers: readonly string[],
): string {
  // The copy is where a copied runtime keeps the module: its relative path from this file.
  const target = runtimeImport('copied', file, module);
  const changed = text.replace(
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
  return changed === text ? text : mergeImports(changed, target);
}

/** Several `import { … } from '<from>'` statements (of values, or of types) made one, where the first was. */
function mergeImports(text: string, from: string): string {
  const statement = /^import (type )?\{([^}]*)\} from '([^']+)';\n?/gm;
  for (const typeOnly of [undefined, 'type ']) {
    const ours = (match: RegExpMatchArray) => match[3] === from && match[1] === typeOnly;
    const lists = [...text.matchAll(statement)].filter(ours).map((match) => match[2]!);
    if (lists.length < 2) continue;
    const names = new Set(lists.flatMap((list) => list.split(',').map((item) => item.trim())).filter(Boolean));
    let first = true;
    text = text.replace(statement, (whole: string, ...groups: string[]) => {
      if (groups[2] !== from || groups[0] !== typeOnly) return whole;
      if (!first) return '';
      first = false;
      return `import ${typeOnly ?? ''}{ ${[...names].join(', ')} } from '${from}';\n`;
    });
  }
  return text;
}

/** The parts holding a facade the runtime's own code uses (its RuntimeFacades: auth's e-mails and passwords, uploads). */
const RUNTIME_FACADES = {
  'libs/mail': 'Mail',
  'libs/hash': 'Hash',
  'libs/storage': 'Storage',
} as const satisfies Record<string, keyof RuntimeFacades>;

export interface EjectResult {
  /** The copy, relative to the project: src/<part>.ts, or src/<part>/ for a folder. */
  file: string;
  /** The project files whose imports now point at it. */
  repointed: string[];
  /** Who uses the copy besides the project's own code, in a sentence for the owner. */
  usedBy: string;
}

/**
 * Whether the runtime's own code uses the ejected part: a facade of its RuntimeFacades does when the
 * project's composition root gives it (src/bootstrap.ts `facades`; a project made before that is told how); other parts never.
 */
function usedBy(root: string, part: string, repointed: readonly string[]): string {
  const facade = RUNTIME_FACADES[part as keyof typeof RUNTIME_FACADES] as string | undefined;
  if (!facade) return "The runtime's own code keeps its part; yours is what your code and fastpy's generators import.";
  const bootstrap = join(root, 'src/bootstrap.ts');
  if (repointed.includes('src/bootstrap.ts') && /appServices\(\{[^)]*\bfacades\b/.test(readFileSync(bootstrap, 'utf8')))
    return `The runtime's auth and uploads use your ${facade} too: src/bootstrap.ts gives it to them (facades).`;
  return `The runtime's auth and uploads still use its own ${facade}: to give them yours, pass \`facades: { ${facade} }\` to appServices() in src/bootstrap.ts and to createTestKit() in tests/helpers.ts.`;
}

/**
 * Ejects `part` in the project at `root` (see the top of this file).
 *
 * @example
 * eject('/work/shop', 'controllers/resource-controller') // { file: 'src/controllers/resource-controller.ts', repointed: ['src/controllers/post-controller.ts'] }
 * eject('/work/shop', 'libs/cache') // { file: 'src/libs/cache/', repointed: ['src/services/post-service.ts'] }
 */
export async function eject(root: string, part: string): Promise<EjectResult> {
  const parts = ejectableParts();
  if (Object.hasOwn(NOT_EJECTABLE, part))
    throw new UsageError(`${part} is not ejected: ${NOT_EJECTABLE[part]}`, 'E_USAGE');
  if (!parts.includes(part)) {
    const folder = folderPartOf(part);
    const suggestion = folder ?? closest(part, parts);
    throw new UsageError(
      `"${part}" is not a part of ${RUNTIME_PACKAGE}${suggestion ? ` (did you mean ${suggestion}?${folder ? ' A folder is ejected whole.' : ''})` : ''}: fastpy eject --list lists them`,
      'E_USAGE',
    );
  }
  if (!dependsOnRuntime(root))
    throw new UsageError(
      `this project has the runtime copied into src/ (it was made before fastpy 0.2): every part of it is already yours, in src/`,
      'E_COPIED_RUNTIME',
    );
  const file = partPath(part);
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
  const header = `// Ejected from ${RUNTIME_PACKAGE} ${version} (fastpy eject ${part}): yours now; fastpy update leaves it alone.\n`;
  const writes = new Map<string, string>();
  const names = new Set<string>();
  const specifiers = new Set<string>();
  for (const module of partModules(part)) {
    const source = readFileSync(join(RUNTIME_DIR, `${module}.ts`), 'utf8');
    const copy = `src/${module}.ts`;
    writes.set(copy, await formatText(join(root, copy), header + importsFromPackage(source, module, part)));
    for (const exported of exportedNames(source)) names.add(exported);
    for (const specifier of runtimeExporters(module)) specifiers.add(specifier);
  }
  // A project imports a folder's names through its index (the copy's src/<part>/index.ts).
  const imported = file.endsWith('/') ? `${part}/index` : part;
  const repointed: string[] = [];
  for (const project of projectFiles(root)) {
    const text = readFileSync(join(root, project), 'utf8');
    const changed = pointImportsAt(text, project, imported, names, [...specifiers]);
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
  return { file, repointed, usedBy: usedBy(root, part, repointed) };
}
