// Optional drivers: a missing package is named with the feature that installs it; any other
// failure while loading is left as it is.
import test from 'ava';
import {
  FEATURE_PACKAGES,
  importOptional,
  MissingPackageError,
  requireOptional,
} from '../../runtime/utils/optional-package.js';
import { VERSIONS } from '../../lib/versions.js';

const notFound = (specifier: string, code = 'ERR_MODULE_NOT_FOUND') =>
  Object.assign(
    new Error(`Cannot find package '${specifier}' imported from /app/node_modules/fastpy-runtime/dist/libs/queue.js`),
    { code },
  );

test('a missing driver names its package and the feature to add', async (t) => {
  const error = await t.throwsAsync(
    importOptional('redis', 'QUEUE_DRIVER=redis', () => Promise.reject(notFound('bullmq'))),
    { instanceOf: MissingPackageError },
  );
  t.is(
    error.message,
    'QUEUE_DRIVER=redis needs the bullmq package, which is not installed: run fastpy add redis (or npm install ioredis bullmq)',
  );
  t.like(error, { code: 'E_MISSING_PACKAGE', packageName: 'bullmq', feature: 'redis' });
  // A file of the package (require.resolve of its package.json) counts as the package.
  t.throws(
    () =>
      requireOptional('docs', 'GET /docs', () => {
        throw notFound('swagger-ui-dist/package.json', 'MODULE_NOT_FOUND');
      }),
    { message: /^GET \/docs needs the swagger-ui-dist package/ },
  );
  // @koa/multer is there, its peer multer is not: the missing one is named.
  await t.throwsAsync(
    importOptional('uploads', 'file uploads', () => Promise.reject(notFound('multer'))),
    { message: /^file uploads needs the multer package/ },
  );
});

test('other failures while loading are not taken for a missing driver', async (t) => {
  const deeper = notFound('msgpackr'); // something bullmq imports, not bullmq itself
  t.is(await t.throwsAsync(importOptional('redis', 'QUEUE_DRIVER=redis', () => Promise.reject(deeper))), deeper);
  const broken = new SyntaxError('Unexpected token');
  t.is(
    t.throws(() =>
      requireOptional('argon2', 'HASH_DRIVER=argon2', () => {
        throw broken;
      }),
    ),
    broken,
  );
  t.is(await importOptional('redis', 'x', async () => 42), 42);
});

test('every optional package is pinned in lib/versions.ts and an optional peer of fastpy-runtime', async (t) => {
  const manifest = (await import('../../runtime/package.json', { with: { type: 'json' } })).default as {
    peerDependencies: Record<string, string>;
  };
  for (const name of Object.values(FEATURE_PACKAGES).flat()) {
    t.truthy(VERSIONS[name as keyof typeof VERSIONS], `${name} is pinned`);
    t.truthy(manifest.peerDependencies[name], `${name} is a peer`);
  }
});
