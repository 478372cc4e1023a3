// runtime/ as the fastpy-runtime package: its manifest agrees with the versions projects pin, it
// declares every package its code imports, and the tarball `npm run build` packs installs and works
// as a dependency: every entry point resolves, with types, from a project that only has the tarball.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import test from 'ava';
import { PACKAGE_VERSION, RUNTIME_DIR, runtimeMigrations, runtimeSources } from '../../lib/package.js';
import { VERSIONS } from '../../lib/versions.js';
import { spawnAsync } from '../helpers/cli.js';
import { linkModules } from '../helpers/project-deps.js';

const REPO = new URL('../..', import.meta.url).pathname;

interface Manifest {
  name: string;
  version: string;
  type: string;
  engines: { node: string };
  exports: Record<string, string | { types: string; default: string }>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
}

const manifest = JSON.parse(readFileSync(join(RUNTIME_DIR, 'package.json'), 'utf8')) as Manifest;
const rootManifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
const tarball = join(REPO, 'dist', `fastpy-runtime-${manifest.version}.tgz`);
const areas = Object.keys(manifest.exports).filter((key) => key !== './package.json');

/** The packages a source file imports (type-only imports too: their types are part of the package's). */
function importedPackages(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:from\s+|import\(\s*|require\(\s*)'([^'.#][^']*)'/g)].map(
    (match) => match[1]!,
  );
  return specifiers
    .filter(
      (specifier) =>
        /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/|$)/.test(specifier) && !builtinModules.includes(specifier),
    )
    .map((specifier) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

test('fastpy-runtime is versioned with the generator, for the same Node versions', (t) => {
  t.is(manifest.name, 'fastpy-runtime');
  t.is(manifest.version, PACKAGE_VERSION);
  t.is(manifest.type, 'module');
  t.is(manifest.engines.node, rootManifest.engines.node);
});

test('fastpy-runtime declares every package its code imports, at the versions projects pin', (t) => {
  // (The framework's migrations import the package itself, by name.)
  const imported = new Set(
    runtimeSources().flatMap((file) => importedPackages(readFileSync(join(RUNTIME_DIR, file), 'utf8'))),
  );
  imported.delete('fastpy-runtime');
  t.true(imported.has('koa') && imported.has('knex') && imported.has('ioredis'));
  const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
  t.deepEqual([...imported].filter((name) => !declared.has(name)).sort(), [], 'imported but not declared');
  // Loaded by name rather than imported: the database drivers (by Knex), @koa/multer's peer, pino's
  // pretty transport, and Swagger UI's assets (resolved as files).
  const loadedByName = ['better-sqlite3', 'mysql2', 'pg', 'multer', 'pino-pretty', 'swagger-ui-dist'];
  t.deepEqual(
    [...declared].filter((name) => !imported.has(name) && !loadedByName.includes(name)).sort(),
    [],
    'declared but never imported',
  );
  const versions = VERSIONS as Record<string, string>;
  for (const [name, version] of Object.entries(manifest.dependencies))
    t.is<string | undefined, string | undefined>(version, versions[name], name);
  for (const [name, range] of Object.entries(manifest.peerDependencies)) {
    t.is(range, `^${versions[name]}`, name);
    t.true(manifest.peerDependenciesMeta[name]?.optional, `${name} is an optional peer`);
    t.false(name in manifest.dependencies, `${name} is a dependency and a peer`);
  }
});

test("the packed tarball holds the compiled entry points with their types, the framework's migrations (for new projects and updates), and no sources or tests", (t) => {
  t.true(existsSync(tarball), `${tarball} is missing: run npm run build`);
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((file) => file.replace(/^package\//, ''));
  for (const area of areas) {
    const target = manifest.exports[area] as { types: string; default: string };
    t.true(files.includes(target.default.slice(2)), `${area}: ${target.default}`);
    t.true(files.includes(target.types.slice(2)), `${area}: ${target.types}`);
  }
  const migrations = runtimeMigrations();
  t.true(migrations.length >= 4);
  t.deepEqual(files.filter((file) => !file.startsWith('dist/') && file !== 'package.json').sort(), migrations);
  t.deepEqual(
    files.filter((file) => file.startsWith('dist/') && /\.test\.|migrations\/|(?<!\.d)\.ts$/.test(file)),
    [],
  );
});

/** A project with only the tarball installed (as a `file:` dependency), every other package linked from this repository's. */
function consumer(without: readonly string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'fastpy-runtime-consumer-'));
  mkdirSync(join(dir, 'vendor'));
  copyFileSync(tarball, join(dir, 'vendor', basename(tarball)));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { 'fastpy-runtime': `file:vendor/${basename(tarball)}` },
    }),
  );
  linkModules(dir, join(REPO, 'node_modules'), without);
  return dir;
}

test.serial(
  'a project that installs the tarball imports every entry point, type-checks against it, and serves /health',
  async (t) => {
    t.true(existsSync(tarball), `${tarball} is missing: run npm run build`);
    const dir = consumer();
    t.false(
      lstatSync(join(dir, 'node_modules', 'fastpy-runtime')).isSymbolicLink(),
      'unpacked from the tarball, not linked to runtime/',
    );
    // Types: every entry point resolves under NodeNext, and the public API has the types it documents.
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['*.ts'],
      }),
    );
    writeFileSync(
      join(dir, 'types.ts'),
      [
        ...areas.map((area, index) => `import * as area${index} from 'fastpy-runtime${area.slice(1)}';`),
        `export const loaded = [${areas.map((_, index) => `area${index}`).join(', ')}];`,
        "import { createApp, type RouteFactory } from 'fastpy-runtime';",
        "import { sendSuccess, NotFoundException } from 'fastpy-runtime/http';",
        "import { loadSettings, type Settings } from 'fastpy-runtime/config';",
        "import { parseFieldSpec } from 'fastpy-runtime/fields';",
        "const settings: Settings = loadSettings({ NODE_ENV: 'test' });",
        'const routes: RouteFactory[] = [];',
        'export const app: { callback(): unknown } = createApp({ settings, db: {} as never, logger: {} as never, routes });',
        "export const type: 'string' = parseFieldSpec('title:string').type as 'string';",
        "export const errors = [sendSuccess, new NotFoundException('x')];",
        '',
      ].join('\n'),
    );
    const typecheck = await spawnAsync(
      process.execPath,
      [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir],
      { cwd: dir },
    );
    t.is(typecheck.status, 0, `${typecheck.stdout}\n${typecheck.stderr}`);

    // Run time: the app, on an in-memory SQLite database, through the package alone.
    writeFileSync(
      join(dir, 'serve.mjs'),
      [
        ...areas.map((area) => `await import('fastpy-runtime${area.slice(1)}');`),
        "import { createApp } from 'fastpy-runtime';",
        "import { loadSettings, PROJECT_ROOT } from 'fastpy-runtime/config';",
        "import { createDatabase } from 'fastpy-runtime/database';",
        "import { createLogger } from 'fastpy-runtime/utils';",
        "const settings = loadSettings({ NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', RATE_LIMIT_ENABLED: 'false' });",
        "const logger = createLogger({ level: 'silent' });",
        'const db = createDatabase(settings.database, { logger });',
        'const server = createApp({ settings, db, logger }).listen(0, "127.0.0.1");',
        "await new Promise((resolve) => server.once('listening', resolve));",
        'const response = await fetch(`http://127.0.0.1:${server.address().port}/health/`);',
        'console.log(JSON.stringify({ status: response.status, body: await response.json(), root: PROJECT_ROOT }));',
        'server.close();',
        'await db.destroy();',
        '',
      ].join('\n'),
    );
    const served = await spawnAsync(process.execPath, ['serve.mjs'], { cwd: dir });
    t.is(served.status, 0, served.stderr);
    const { status, body, root } = JSON.parse(served.stdout.trim().split('\n').at(-1)!) as {
      status: number;
      body: { success: boolean; data: { status: string } };
      root: string;
    };
    t.is(status, 200);
    t.true(body.success);
    t.is(body.data.status, 'ok');
    t.is(root, `${dir}/`, "PROJECT_ROOT is the project's folder, not the package's");
  },
);

test.serial(
  'without any optional peer installed the app serves, and a driver it lacks is named with the feature to add',
  async (t) => {
    const optional = Object.keys(manifest.peerDependencies).filter((name) => name !== 'better-sqlite3');
    const dir = consumer(optional);
    t.false(existsSync(join(dir, 'node_modules', 'ioredis')));
    writeFileSync(
      join(dir, 'bare.mjs'),
      [
        "import { createApp } from 'fastpy-runtime';",
        "import { loadSettings } from 'fastpy-runtime/config';",
        "import { createDatabase } from 'fastpy-runtime/database';",
        "import { createRedis } from 'fastpy-runtime/libs';",
        "import { createLogger } from 'fastpy-runtime/utils';",
        "const settings = loadSettings({ NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', RATE_LIMIT_ENABLED: 'false', DOCS_ENABLED: 'false' });",
        "const logger = createLogger({ level: 'silent' });",
        'const db = createDatabase(settings.database, { logger });',
        "const server = createApp({ settings, db, logger }).listen(0, '127.0.0.1');",
        "await new Promise((resolve) => server.once('listening', resolve));",
        'const health = await fetch(`http://127.0.0.1:${server.address().port}/health/`);',
        'server.close();',
        'await db.destroy();',
        "const failure = (run) => { try { run(); return 'no error'; } catch (error) { return `${error.name}: ${error.message}`; } };",
        "console.log(JSON.stringify({ health: health.status, redis: failure(() => createRedis('redis://127.0.0.1:6379')) }));",
        '',
      ].join('\n'),
    );
    const run = await spawnAsync(process.execPath, ['bare.mjs'], { cwd: dir });
    t.is(run.status, 0, run.stderr);
    const { health, redis } = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { health: number; redis: string };
    t.is(health, 200);
    t.is(
      redis,
      'MissingPackageError: Redis (REDIS_URL) needs the ioredis package, which is not installed: run fastpy add redis (or npm install ioredis bullmq)',
    );
  },
);
