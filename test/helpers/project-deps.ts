// Generated projects' dependencies, installed once: the union of their package.json files goes to
// .cache/project-deps/<hash of the manifest>/ (reused while lib/versions.ts is unchanged), and each
// project gets a node_modules symlink to it. The e2e test and the benchmarks use it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CACHE = new URL('../../.cache/project-deps/', import.meta.url).pathname;

/** Installs (or reuses) the projects' dependencies and links each project's node_modules to them. */
export function linkProjectDependencies(projectDirs: readonly string[]): string {
  const packages: Record<string, Record<string, string>> = { dependencies: {}, devDependencies: {} };
  let allowScripts = {};
  for (const dir of projectDirs) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    Object.assign(packages.dependencies!, pkg.dependencies);
    Object.assign(packages.devDependencies!, pkg.devDependencies);
    allowScripts = pkg.allowScripts ?? allowScripts;
  }
  const manifest = JSON.stringify({ name: 'fastpy-project-deps', private: true, type: 'module', ...packages, allowScripts }, null, 2);
  const cacheDir = join(CACHE, createHash('sha256').update(manifest).digest('hex').slice(0, 16));
  if (!existsSync(join(cacheDir, 'node_modules', '.installed'))) {
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, 'package.json'), manifest);
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: cacheDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000 });
    if (install.status !== 0) throw new Error(`npm install of the generated projects' dependencies failed:\n${install.stderr}`);
    writeFileSync(join(cacheDir, 'node_modules', '.installed'), new Date().toISOString());
  }
  for (const dir of projectDirs) if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(cacheDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return cacheDir;
}
