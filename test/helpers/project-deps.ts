// Generated projects' dependencies, installed once: every package a project can depend on (whatever
// its database and features: lib/versions.ts) goes to .cache/project-deps/<hash of the manifest>/,
// reused while lib/versions.ts is unchanged, and each project gets a node_modules linked to it (with
// its own fastpy-runtime tarball unpacked). The e2e and yo tests and the benchmarks share it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { VERSIONS } from '../../lib/versions.js';

const CACHE = new URL('../../.cache/project-deps/', import.meta.url).pathname;
const INSTALL_TIMEOUT = 900_000;

/** Installs (or reuses) every package a project can have, and links each project's node_modules to them (`without` some: a project that lacks them). */
export function linkProjectDependencies(
  projectDirs: readonly string[],
  options: { without?: readonly string[] } = {},
): string {
  let allowScripts = {};
  for (const dir of projectDirs) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      if (String(version).startsWith('file:')) continue; // the project's own tarball (fastpy-runtime): linked per project below
      if (VERSIONS[name as keyof typeof VERSIONS] !== version)
        throw new Error(
          `${dir} wants ${name}@${String(version)}, which lib/versions.ts does not pin: the shared install has only those`,
        );
    }
    allowScripts = pkg.allowScripts ?? allowScripts;
  }
  const dependencies = Object.fromEntries(Object.entries(VERSIONS).sort(([a], [b]) => a.localeCompare(b)));
  const manifest = JSON.stringify(
    { name: 'fastpy-project-deps', private: true, type: 'module', dependencies, allowScripts },
    null,
    2,
  );
  const cacheDir = join(CACHE, createHash('sha256').update(manifest).digest('hex').slice(0, 16));
  const installed = join(cacheDir, 'node_modules', '.installed');
  // Test files run in parallel processes and share this install: one installs, the others wait.
  const lock = `${cacheDir}.lock`;
  mkdirSync(CACHE, { recursive: true });
  while (!existsSync(installed)) {
    try {
      mkdirSync(lock);
    } catch {
      // Another process is installing (a lock older than the install's timeout is left over: taken).
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > INSTALL_TIMEOUT) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
      continue;
    }
    try {
      if (existsSync(installed)) break;
      rmSync(cacheDir, { recursive: true, force: true });
      mkdirSync(cacheDir, { recursive: true });
      writeFileSync(join(cacheDir, 'package.json'), manifest);
      const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
        cwd: cacheDir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: INSTALL_TIMEOUT,
      });
      if (install.status !== 0)
        throw new Error(`npm install of the generated projects' dependencies failed:\n${install.stderr}`);
      writeFileSync(installed, new Date().toISOString());
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  for (const dir of projectDirs)
    if (!existsSync(join(dir, 'node_modules'))) linkModules(dir, join(cacheDir, 'node_modules'), options.without);
  return cacheDir;
}

/**
 * A project's node_modules: a link to the shared install, or, where the project depends on a
 * tarball of its own (`file:vendor/fastpy-runtime-<version>.tgz`), a folder of links to the shared
 * packages with each tarball unpacked beside them, as npm installs it; `without` leaves packages out
 * (a project that did not install them).
 */
export function linkModules(dir: string, shared: string, without: readonly string[] = []): void {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const tarballs = Object.entries(pkg.dependencies ?? {}).filter(([, version]) => version.startsWith('file:'));
  if (tarballs.length === 0 && without.length === 0) {
    symlinkSync(shared, join(dir, 'node_modules'), 'dir');
    return;
  }
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(shared)) {
    if (entry.startsWith('@')) {
      mkdirSync(join(modules, entry));
      for (const scoped of readdirSync(join(shared, entry)))
        if (!without.includes(`${entry}/${scoped}`))
          symlinkSync(join(shared, entry, scoped), join(modules, entry, scoped));
    } else if (entry !== '.package-lock.json' && entry !== '.installed' && !without.includes(entry)) {
      symlinkSync(join(shared, entry), join(modules, entry));
    }
  }
  for (const [name, version] of tarballs) {
    const target = join(modules, name);
    mkdirSync(target, { recursive: true });
    const unpacked = spawnSync(
      'tar',
      ['-xzf', join(dir, version.slice('file:'.length)), '-C', target, '--strip-components=1'],
      { encoding: 'utf8' },
    );
    if (unpacked.status !== 0) throw new Error(`unpacking ${version} into ${target} failed: ${unpacked.stderr}`);
  }
}
