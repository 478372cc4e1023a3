// The runtime's optional features (runtime/utils/optional-package.ts) as a project's package.json
// has them: `fastpy add <feature>` and the generators (a resource with a file field brings
// `uploads`) add their packages, pinned as every dependency is.
import { FEATURE_PACKAGES, type OptionalFeature } from '../runtime/utils/optional-package.js';
import { UsageError } from './questions.js';
import { VERSIONS, type PackageName } from './versions.js';

export const OPTIONAL_FEATURES = Object.keys(FEATURE_PACKAGES) as OptionalFeature[];

export interface PackageManifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * The manifest with the features' packages added to its dependencies (sorted, pinned), and which
 * were added; packages it has already are left as they are.
 *
 * @example
 * withFeatures({ dependencies: { koa: '3.3.0' } }, ['redis']).added // ['bullmq', 'ioredis']
 */
export function withFeatures(
  pkg: PackageManifest,
  features: readonly string[],
): { pkg: PackageManifest; added: string[] } {
  const unknown = features.filter((feature) => !(OPTIONAL_FEATURES as string[]).includes(feature));
  if (unknown.length > 0)
    throw new UsageError(
      `no feature ${unknown.map((name) => `"${name}"`).join(', ')}: fastpy add takes ${OPTIONAL_FEATURES.join(', ')}`,
      'E_USAGE',
    );
  const wanted = [...new Set(features.flatMap((feature) => FEATURE_PACKAGES[feature as OptionalFeature]))];
  const added = wanted.filter((name) => !pkg.dependencies?.[name] && !pkg.devDependencies?.[name]).sort();
  if (added.length === 0) return { pkg, added };
  const dependencies = {
    ...pkg.dependencies,
    ...Object.fromEntries(added.map((name) => [name, VERSIONS[name as PackageName]])),
  };
  return {
    pkg: {
      ...pkg,
      dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b))),
    },
    added,
  };
}

/** `name@version` of each package, for the lines that say what was added. */
export const pinnedNames = (names: readonly string[]): string =>
  names.map((name) => `${name}@${VERSIONS[name as PackageName]}`).join(', ');
