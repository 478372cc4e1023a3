// `fastpy add <feature...>`: installs the packages an optional feature of fastpy-runtime needs
// (its optional peer dependencies: Redis, Swagger UI, uploads, SMTP, SES, S3, argon2), pinned as
// the generator pins every dependency, into the project's package.json, then npm install.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { OptionalFeature } from '../../../runtime/utils/optional-package.js';
import { OPTIONAL_FEATURES, pinnedNames, withFeatures, type PackageManifest } from '../../features.js';
import { requireProjectRoot } from '../../project-root.js';
import { UsageError } from '../../questions.js';
import { dependsOnRuntime } from '../../runtime-imports.js';

const FEATURES = OPTIONAL_FEATURES;

/** What each feature is for, as `fastpy add --help` lists it. */
const DESCRIPTIONS: Record<OptionalFeature, string> = {
  redis: 'REDIS_URL: the Redis rate-limit store, CACHE_STORE=redis, QUEUE_DRIVER=redis (ioredis, BullMQ)',
  docs: 'GET /docs: Swagger UI (swagger-ui-dist)',
  uploads: 'file and image fields (@koa/multer, multer, file-type)',
  smtp: 'MAIL_DRIVER=smtp (nodemailer)',
  ses: 'MAIL_DRIVER=ses (@aws-sdk/client-sesv2, nodemailer)',
  s3: 'the s3 disk: STORAGE_DISK=s3 (@aws-sdk/client-s3)',
  argon2: 'HASH_DRIVER=argon2 (argon2)',
};

/**
 * Adds the features' packages to the project's package.json (dependencies, pinned); returns those
 * it added (the ones already there are left as they are).
 *
 * @example
 * addFeatures('/work/shop', ['redis']) // ['bullmq', 'ioredis']
 */
export function addFeatures(root: string, features: readonly string[]): string[] {
  if (features.length === 0) throw new UsageError(`add needs a feature: ${OPTIONAL_FEATURES.join(', ')}`, 'E_USAGE');
  const file = join(root, 'package.json');
  const { pkg, added } = withFeatures(JSON.parse(readFileSync(file, 'utf8')) as PackageManifest, features);
  if (!dependsOnRuntime(root)) {
    throw new UsageError(
      `fastpy add installs fastpy-runtime's optional packages, and this project (made before 0.2) has the runtime copied into src/ with every package installed already`,
      'E_PROJECT_FILE',
    );
  }
  if (added.length > 0) writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  return added;
}

export function registerAdd(program: Command): void {
  program
    .command('add')
    .description(
      'install what an optional feature of the runtime needs: fastpy add redis docs (its packages, in package.json, then npm install)',
    )
    .argument('<feature...>', FEATURES.join(', '))
    .option('--skip-install', 'only write package.json')
    .addHelpText(
      'after',
      `\nFeatures:\n${FEATURES.map((feature) => `  ${feature.padEnd(8)} ${DESCRIPTIONS[feature]}`).join('\n')}\n`,
    )
    .action((features: string[], options: { skipInstall?: boolean }) => {
      const root = requireProjectRoot(process.cwd(), 'fastpy add');
      const added = addFeatures(root, features);
      if (added.length === 0) {
        console.log(`${features.join(', ')}: every package is in package.json already`);
        return;
      }
      console.log(`package.json: added ${pinnedNames(added)}`);
      if (options.skipInstall) {
        console.log('Next: npm install');
        return;
      }
      const install = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
      if (install.status !== 0)
        throw new UsageError(
          `npm install failed (package.json has the new packages: run npm install again in ${root})`,
          'E_INSTALL',
        );
    });
}
