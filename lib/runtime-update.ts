// `fastpy update`: moves a project to this fastpy's runtime. Its packed tarball replaces the one in
// vendor/, package.json points at it, the framework's migrations the project does not have yet
// arrive as new migration files, and the CHANGELOG entries in between are listed.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ejectedParts, partPath } from './eject.js';
import { PACKAGE_ROOT, runtimeMigrations, runtimeTarball, RUNTIME_DIR, VENDOR_DIR } from './package.js';
import { UsageError } from './questions.js';
import { dependsOnRuntime, RUNTIME_PACKAGE } from './runtime-imports.js';

export interface UpdatePlan {
  /** The version the project has (its package.json's dependency, or its vendored tarball's name). */
  from: string;
  to: string;
  /** The dependency package.json gets. */
  dependency: string;
  /** The vendored tarballs replaced (removed), relative to the project. */
  replaced: string[];
  /** The framework's migrations the project gains, as src/database/migrations/<file>. */
  migrations: string[];
  /** The CHANGELOG sections after `from`, up to `to`. */
  changelog: string[];
  /** The parts the owner ejected (src/<part>.ts, or src/<part>/): the update leaves them as they are. */
  ejected: string[];
  /** Whether anything changes (false: the project has this runtime, byte for byte). */
  changes: boolean;
}

/** Semver's order for x.y.z versions (pre-release tags are not used here). */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) =>
    version
      .split(/[.+-]/)
      .slice(0, 3)
      .map((part) => Number.parseInt(part, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let index = 0; index < 3; index++) if (x[index] !== y[index]) return x[index]! - y[index]!;
  return 0;
}

/** The sections of a CHANGELOG (`## 0.2.0`, `## Unreleased (0.2.0)`) for versions after `from` up to `to`. */
export function changelogBetween(markdown: string, from: string, to: string): string[] {
  const sections = markdown.split(/^(?=## )/m).filter((section) => section.startsWith('## '));
  return sections
    .filter((section) => {
      const version = /^## [^\n]*?(\d+\.\d+\.\d+)/.exec(section)?.[1];
      return version !== undefined && compareVersions(version, from) > 0 && compareVersions(version, to) <= 0;
    })
    .map((section) => section.trimEnd());
}

/** The fastpy-runtime version a project depends on: `file:vendor/fastpy-runtime-0.2.0.tgz` or a registry version. */
function dependedVersion(spec: string): string {
  const version = /(\d+\.\d+\.\d+[\w.+-]*?)(?:\.tgz)?$/.exec(spec)?.[1];
  if (!version)
    throw new UsageError(
      `package.json's ${RUNTIME_PACKAGE} dependency "${spec}" names no version fastpy update can read: set it to file:${VENDOR_DIR}/<tarball> or a version`,
      'E_PROJECT_FILE',
    );
  return version;
}

/**
 * What `fastpy update` would do in the project at `root`.
 *
 * @example
 * planUpdate('/work/shop').to // '0.2.0'
 */
export function planUpdate(root: string, runtimeDir: string = RUNTIME_DIR): UpdatePlan {
  if (!dependsOnRuntime(root)) {
    throw new UsageError(
      `this project has the runtime copied into src/ (it was made before fastpy 0.2), so there is no package to update: its src/ is its own to change. New projects depend on ${RUNTIME_PACKAGE} and take its fixes with fastpy update.`,
      'E_COPIED_RUNTIME',
    );
  }
  const tarball = runtimeTarball(runtimeDir);
  if (!existsSync(tarball.path))
    throw new UsageError(
      `the packed runtime ${tarball.path} is missing: run npm run build in ${join(runtimeDir, '..')} first`,
      'E_NOT_BUILT',
    );
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const from = dependedVersion(pkg.dependencies[RUNTIME_PACKAGE]!);
  if (compareVersions(from, tarball.version) > 0) {
    throw new UsageError(
      `this project has ${RUNTIME_PACKAGE} ${from}, newer than this fastpy's ${tarball.version}: update fastpy first (fastpy upgrade)`,
      'E_NEWER_RUNTIME',
    );
  }
  const vendored = existsSync(join(root, VENDOR_DIR))
    ? readdirSync(join(root, VENDOR_DIR)).filter(
        (file) => file.startsWith(`${RUNTIME_PACKAGE}-`) && file.endsWith('.tgz'),
      )
    : [];
  const target = `${VENDOR_DIR}/${tarball.name}`;
  const dependency = `file:${target}`;
  const same = existsSync(join(root, target)) && readFileSync(join(root, target)).equals(readFileSync(tarball.path));
  const replaced = vendored.map((file) => `${VENDOR_DIR}/${file}`).filter((file) => file !== target);
  const migrationsDir = join(root, 'src', 'database', 'migrations');
  const have = new Set(existsSync(migrationsDir) ? readdirSync(migrationsDir) : []);
  const migrations = runtimeMigrations(runtimeDir)
    .map((file) => basename(file))
    .filter((file) => !have.has(file))
    .map((file) => `src/database/migrations/${file}`);
  const changelogFile = join(PACKAGE_ROOT, 'CHANGELOG.md');
  const changelog = existsSync(changelogFile)
    ? changelogBetween(readFileSync(changelogFile, 'utf8'), from, tarball.version)
    : [];
  const changes =
    !same || replaced.length > 0 || migrations.length > 0 || pkg.dependencies[RUNTIME_PACKAGE] !== dependency;
  const ejected = ejectedParts(root).map((part) => partPath(part));
  return { from, to: tarball.version, dependency, replaced, migrations, changelog, ejected, changes };
}

/** Carries out a plan: the tarball, package.json, the new migrations (npm install is the caller's). */
export function applyUpdate(root: string, plan: UpdatePlan, runtimeDir: string = RUNTIME_DIR): void {
  const tarball = runtimeTarball(runtimeDir);
  mkdirSync(join(root, VENDOR_DIR), { recursive: true });
  copyFileSync(tarball.path, join(root, plan.dependency.slice('file:'.length)));
  for (const file of plan.replaced) rmSync(join(root, file), { force: true });
  for (const file of plan.migrations)
    copyFileSync(join(runtimeDir, 'database', 'migrations', basename(file)), join(root, file));
  const manifest = join(root, 'package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies: Record<string, string> };
  pkg.dependencies[RUNTIME_PACKAGE] = plan.dependency;
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
}
