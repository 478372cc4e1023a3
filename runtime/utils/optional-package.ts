// Drivers only some projects use (ioredis, BullMQ, the AWS SDK, nodemailer, argon2, multer,
// file-type, Swagger UI) are optional peer dependencies of fastpy-runtime: a project installs them
// with the feature that needs them (`fastpy add <feature>`). Using one that is missing says which
// package to add and how, instead of Node's "Cannot find package".
import { FastpyError } from './errors.js';

/** The features `fastpy add` installs, and the packages each brings. */
export const FEATURE_PACKAGES = {
  redis: ['ioredis', 'bullmq'],
  docs: ['swagger-ui-dist'],
  uploads: ['@koa/multer', 'multer', 'file-type'],
  smtp: ['nodemailer'],
  ses: ['@aws-sdk/client-sesv2', 'nodemailer'],
  s3: ['@aws-sdk/client-s3'],
  argon2: ['argon2'],
} as const satisfies Record<string, readonly string[]>;

export type OptionalFeature = keyof typeof FEATURE_PACKAGES;

/** A driver's package is not installed. */
export class MissingPackageError extends FastpyError {
  constructor(
    readonly packageName: string,
    readonly feature: OptionalFeature,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(
      'E_MISSING_PACKAGE',
      `${what} needs the ${packageName} package, which is not installed: run fastpy add ${feature} (or npm install ${FEATURE_PACKAGES[feature].join(' ')})`,
      options,
    );
  }
}

/** The package of `feature` an error says Node cannot find (not something that package imports), if any. */
function missingPackage(error: unknown, feature: OptionalFeature): string | undefined {
  const { code, message } = error as { code?: string; message?: string };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  return FEATURE_PACKAGES[feature].find((name) =>
    new RegExp(`['"]${name.replace(/[/.]/g, '\\$&')}(/[^'"]*)?['"]`).test(message ?? ''),
  );
}

/**
 * Loads what an optional feature needs with `load` (a literal `import('…')`, so its types stay), or
 * throws a MissingPackageError naming the missing package and the feature to add.
 *
 * @example
 * const { Queue } = await importOptional('redis', 'QUEUE_DRIVER=redis', () => import('bullmq'));
 */
export async function importOptional<T>(feature: OptionalFeature, what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const name = missingPackage(error, feature);
    if (name) throw new MissingPackageError(name, feature, what, { cause: error });
    throw error;
  }
}

/** importOptional for what is loaded with require() (ioredis, argon2, a package's files). */
export function requireOptional<T>(feature: OptionalFeature, what: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    const name = missingPackage(error, feature);
    if (name) throw new MissingPackageError(name, feature, what, { cause: error });
    throw error;
  }
}
