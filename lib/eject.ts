// `fastpy eject <part>`: one part of fastpy-runtime becomes the owner's. A part is a module
// (middleware/rate-limit) or a folder with an index.ts inside an area (libs/cache: a facade with its
// manager and drivers; fields/types). Its TypeScript source is copied to src/<part>.ts, or
// src/<part>/ (its imports of the rest of the runtime pointed at the package, a folder's imports
// within itself kept), the project's imports of what it exports are pointed at the copy, and
// .yo-rc.json records it: the generators import the copy from then on, and `fastpy update` says it
// no longer updates it. The runtime's own code keeps using its part, except what the project's
// composition gives it (COMPOSITIONS: the facades of src/bootstrap.ts, the built-in middleware of
// src/middleware/index.ts); a part the project reaches only through another of the runtime's
// (controllers/auth-controller, through routes/auth) is ejected with that one, so the copy runs.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { RuntimeFacades, RuntimeMiddleware } from '../runtime/app.js';
import { closest } from '../runtime/fields/spec.js';
import { formatTexts } from './format.js';
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

/**
 * What the runtime's own code takes from the project's composition, so that an ejected copy is the
 * one it runs: the facades auth and uploads use (src/bootstrap.ts `facades`, given to appServices())
 * and the built-in middleware (src/middleware/index.ts `stack`, given to createApp()).
 */
const COMPOSITIONS = [
  {
    key: 'facades',
    parts: { 'libs/mail': 'Mail', 'libs/hash': 'Hash', 'libs/storage': 'Storage' } satisfies Record<
      string,
      keyof RuntimeFacades
    >,
    declaredIn: 'src/bootstrap.ts',
    passed: { file: 'src/bootstrap.ts', call: 'appServices' },
    users: {
      yours: "The runtime's auth and uploads use your",
      theirs: "The runtime's auth and uploads still use its own",
      them: 'them',
    },
  },
  {
    key: 'stack',
    parts: {
      'middleware/request-id': 'requestId',
      'middleware/timing': 'timing',
      'middleware/error-handler': 'errorHandler',
      'middleware/security-headers': 'securityHeaders',
      'middleware/rate-limit': 'rateLimit',
      'middleware/body-depth': 'limitBodyDepth',
    } satisfies Record<string, keyof RuntimeMiddleware>,
    declaredIn: 'src/middleware/index.ts',
    passed: { file: 'src/server.ts', call: 'createApp' },
    users: { yours: 'The app runs your', theirs: "The app still runs the runtime's", them: 'the app' },
  },
] as const;

/** The composition a part is given to the runtime by, and its name there (libs/mail: facades, Mail). */
function compositionOf(part: string) {
  for (const composition of COMPOSITIONS) {
    const name = (composition.parts as Record<string, string>)[part];
    if (name) return { composition, name };
  }
  return undefined;
}

/**
 * Whether the runtime's own code uses the ejected part: a part of a composition (a facade, a built-in
 * middleware) does when the project gives it (a project made before it did is told how); other parts never.
 */
function usedBy(root: string, part: string, repointed: readonly string[]): string {
  const composed = compositionOf(part);
  if (!composed)
    return "The runtime's own code keeps its part; yours is what your code and fastpy's generators import.";
  const { composition, name } = composed;
  const { file, call } = composition.passed;
  const users = composition.users;
  const passing = new RegExp(`${call}\\(\\{[^)]*\\b${composition.key}\\b`);
  if (repointed.includes(composition.declaredIn) && passing.test(readFileSync(join(root, file), 'utf8')))
    return `${users.yours} ${name} too: ${composition.declaredIn} gives it to ${users.them} (${composition.key}).`;
  return `${users.theirs} ${name}: to give ${users.them} yours, pass \`${composition.key}: { ${name} }\` to ${call}() in ${file} and to createTestKit() in tests/helpers.ts.`;
}

/** Whether a project file is (in) the copy of a part. */
function isIn(file: string, part: string): boolean {
  const path = partPath(part);
  return path.endsWith('/') ? file.startsWith(path) : file === path;
}

/** What a project imports of a part: its entry module (a folder's index), its names, and the specifiers they come by. */
function partExports(part: string) {
  const names = new Set<string>();
  const specifiers = new Set<string>();
  for (const module of partModules(part)) {
    for (const exported of exportedNames(readFileSync(join(RUNTIME_DIR, `${module}.ts`), 'utf8'))) names.add(exported);
    for (const specifier of runtimeExporters(module)) specifiers.add(specifier);
  }
  const imported = isFolder(part, RUNTIME_DIR) ? `${part}/index` : part;
  return { imported, names, specifiers: [...specifiers] };
}

/** Whether any of the project's files imports a name of the part. */
function projectImports(root: string, part: string): boolean {
  const { imported, names, specifiers } = partExports(part);
  return projectFiles(root).some((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    return pointImportsAt(text, file, imported, names, specifiers) !== text;
  });
}

/** Whether the project imports the part by an alias of its own ('#libs': the facades), whatever it imports today. */
const byAlias = (part: string) =>
  partModules(part).some((module) => [...runtimeExporters(module)].some((specifier) => specifier.startsWith('#')));

/** The ejectable parts whose modules import values of `part`'s (a type-only import runs nothing of it). */
function runtimeImporters(part: string): string[] {
  const modules = new Set(partModules(part));
  const importers = new Set<string>();
  for (const candidate of ejectableParts()) {
    if (candidate === part) continue;
    for (const module of partModules(candidate)) {
      const source = readFileSync(join(RUNTIME_DIR, `${module}.ts`), 'utf8');
      for (const [, path] of source.matchAll(/^import (?!type )[^;]*? from '(\.{1,2}\/[^']+)\.js'/gm))
        if (modules.has(join(dirname(module), path!))) importers.add(candidate);
    }
  }
  return [...importers];
}

/**
 * The parts to eject with `part` so that its copy is what runs: when nothing of the project's
 * imports it (nor may, by an alias: the facades by #libs) and it is no part of a composition, the
 * one runtime part that uses it, and so on up to a part the project imports (controllers/auth-
 * controller: routes/auth, whose authRoutes src/routes/index.ts mounts). None when a part on the
 * way has several users, or the chain does not reach the project: the runtime then keeps its own.
 */
function reachedThrough(root: string, part: string): string[] {
  const chain: string[] = [];
  let current = part;
  while (!compositionOf(current) && !byAlias(current) && !projectImports(root, current)) {
    const importers = runtimeImporters(current);
    if (importers.length !== 1) return [];
    const [importer] = importers as [string];
    // Ejected already: its copy is a project file, and is pointed at this one's.
    if (ejectedParts(root).includes(importer) || chain.includes(importer)) return chain;
    // A file of the owner's where it would go (src/models/user.ts): the runtime keeps its own.
    if (existsSync(join(root, partPath(importer)))) return [];
    chain.push(importer);
    current = importer;
  }
  return chain;
}

export interface EjectResult {
  /** The copy, relative to the project: src/<part>.ts, or src/<part>/ for a folder. */
  file: string;
  /**
   * The parts ejected with it: those of the runtime the project reaches it through (routes/auth, which
   * src/routes/index.ts mounts, for controllers/auth-controller), so that the copy is the code that runs.
   */
  along: { part: string; file: string }[];
  /** The project files whose imports now point at the copies. */
  repointed: string[];
  /** Who uses the copy besides the project's own code, in a sentence for the owner. */
  usedBy: string;
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
  const chain = [part, ...reachedThrough(root, part)];
  const writes = new Map<string, string>();
  const header = `// Ejected from ${RUNTIME_PACKAGE} ${version} (fastpy eject ${part}): yours now; fastpy update leaves it alone.\n`;
  for (const each of chain) {
    for (const module of partModules(each))
      writes.set(
        `src/${module}.ts`,
        header + importsFromPackage(readFileSync(join(RUNTIME_DIR, `${module}.ts`), 'utf8'), module, each),
      );
  }
  // The project's files, and the copies of a chain's parts, import each ejected part's names from its copy.
  const repointed: string[] = [];
  for (const project of [...new Set([...projectFiles(root), ...writes.keys()])]) {
    const text = writes.get(project) ?? readFileSync(join(root, project), 'utf8');
    let changed = text;
    for (const each of chain) {
      if (isIn(project, each)) continue; // a copy's own imports (its re-exports) stay the package's
      const { imported, names, specifiers } = partExports(each);
      changed = pointImportsAt(changed, project, imported, names, specifiers);
    }
    if (changed === text) continue;
    writes.set(project, changed);
    if (!chain.some((each) => isIn(project, each))) repointed.push(project);
  }
  const formatted = await formatTexts([...writes].map(([path, text]) => ({ path: join(root, path), text })));
  [...writes.keys()].forEach((path, index) => {
    const result = formatted[index]!;
    if ('error' in result) throw result.error;
    writes.set(path, result.text);
  });
  const configFile = join(root, '.yo-rc.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, Record<string, unknown>>;
  config['generator-fastpy'] = { ...config['generator-fastpy'], ejected: [...ejectedParts(root), ...chain].sort() };
  writes.set('.yo-rc.json', `${JSON.stringify(config, null, 2)}\n`);
  for (const [path, text] of writes) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const along = chain.slice(1).map((each) => ({ part: each, file: partPath(each) }));
  return { file, along, repointed, usedBy: usedBy(root, part, repointed) };
}
