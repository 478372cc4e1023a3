// How generated files import the runtime: by entry point in a project that depends on
// fastpy-runtime, by relative path in one that has it copied into src/ (made before 0.2).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import { RUNTIME_DIR, runtimeSources } from '../../lib/package.js';
import { runtimeAreas, runtimeImport, runtimeLayout } from '../../lib/runtime-imports.js';

const runtimeManifest = () =>
  JSON.parse(readFileSync(join(RUNTIME_DIR, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { default: string }>;
  };

test('each runtime module is imported through the entry point that exports all of it', (t) => {
  t.is(
    runtimeImport('package', 'src/controllers/post-controller.ts', 'controllers/resource-controller'),
    'fastpy-runtime/http',
  );
  t.is(runtimeImport('package', 'src/routes/posts.ts', 'app'), 'fastpy-runtime');
  t.is(runtimeImport('package', 'tests/posts.test.ts', 'testing/resource-contract'), 'fastpy-runtime/testing');
  t.is(runtimeImport('package', 'src/models/post.ts', 'models/user'), 'fastpy-runtime/database');
  // mail/mailer.ts: the whole of it is fastpy-runtime/mail, though #libs re-exports two of its types.
  t.is(runtimeImport('package', 'src/app.ts', 'mail/mailer'), 'fastpy-runtime/mail');
  t.throws(() => runtimeImport('package', 'src/x.ts', 'no/such-module'), {
    message: /runtime module no\/such-module is exported by no entry point of fastpy-runtime/,
  });
});

test('every runtime source a project can import is exported by an entry point', (t) => {
  const areas = runtimeAreas();
  const entries = new Set(
    Object.values(runtimeManifest().exports).map((target) =>
      (typeof target === 'string' ? target : target.default).replace(/^\.\/dist\//, '').replace(/\.js$/, ''),
    ),
  );
  // A folder inside an area whose index.ts the area re-exports (fields/types/) is imported through that
  // index: its other modules are its own (a type's descriptor is reached through TYPES).
  const privateToFolder = (module: string) => {
    const index = `${dirname(module)}/index`;
    return module !== index && areas.has(index) && !entries.has(index);
  };
  const unexported = runtimeSources()
    .filter((file) => !file.startsWith('database/migrations/'))
    .map((file) => file.replace(/\.ts$/, ''))
    .filter((module) => !areas.has(module) && !privateToFolder(module));
  t.deepEqual(unexported, []);
  t.true(areas.has('fields/types/index'));
  t.false(privateToFolder('auth/jwt'), "an entry point's own folder keeps no private modules");
});

test('in a project with the runtime copied into src/, the import is the relative path from the file', (t) => {
  t.is(
    runtimeImport('copied', 'src/controllers/post-controller.ts', 'controllers/resource-controller'),
    './resource-controller.js',
  );
  t.is(runtimeImport('copied', 'src/routes/posts.ts', 'app'), '../app.js');
  t.is(
    runtimeImport('copied', 'tests/posts.test.ts', 'testing/resource-contract'),
    '../src/testing/resource-contract.js',
  );
  t.is(runtimeImport('copied', 'src/database/migrations/20260101_x.ts', 'database/dialects'), '../dialects.js');
});

test("a project's layout: the fastpy-runtime dependency, else a runtime copied into src/", (t) => {
  const project = (pkg: object, copied: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'fastpy-layout-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    if (copied) {
      mkdirSync(join(dir, 'src', 'controllers'), { recursive: true });
      writeFileSync(join(dir, 'src', 'controllers', 'resource-controller.ts'), '');
    }
    return dir;
  };
  t.is(
    runtimeLayout(project({ dependencies: { 'fastpy-runtime': 'file:vendor/fastpy-runtime-0.1.0.tgz' } }, false)),
    'package',
  );
  t.is(runtimeLayout(project({ dependencies: { koa: '3.3.0' } }, true)), 'copied');
  t.is(runtimeLayout(mkdtempSync(join(tmpdir(), 'fastpy-layout-'))), 'package', 'a project not written yet');
});
