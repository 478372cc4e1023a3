// How generated files import the runtime: by entry point in a project that depends on
// fastpy-runtime, by relative path in one that has it copied into src/ (made before 0.2).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { runtimeSources } from '../../lib/package.js';
import {
  folderPartOf,
  runtimeAreas,
  runtimeExporters,
  runtimeImport,
  runtimeLayout,
} from '../../lib/runtime-imports.js';

test('each runtime module is imported through the entry point that exports all of it', (t) => {
  t.is(
    runtimeImport('package', 'src/controllers/post-controller.ts', 'controllers/resource-controller'),
    'fastpy-runtime/http',
  );
  t.is(runtimeImport('package', 'src/routes/posts.ts', 'app'), 'fastpy-runtime');
  t.is(runtimeImport('package', 'tests/posts.test.ts', 'testing/resource-contract'), 'fastpy-runtime/testing');
  t.is(runtimeImport('package', 'src/models/post.ts', 'models/user'), 'fastpy-runtime/database');
  // libs/mail/message.ts: the whole of it is fastpy-runtime/mail (through libs/mail/index.ts), though
  // #libs re-exports two of its types.
  t.is(runtimeImport('package', 'src/app.ts', 'libs/mail/message'), 'fastpy-runtime/mail');
  // A facade's driver, three re-exports down (libs/index.ts → libs/cache/index.ts → drivers/redis.ts).
  t.is(runtimeImport('package', 'src/app.ts', 'libs/cache/drivers/redis'), 'fastpy-runtime/libs');
  t.deepEqual(
    [...runtimeExporters('libs/mail/manager')].sort(),
    ['#libs', 'fastpy-runtime/libs', 'fastpy-runtime/mail'],
    'every specifier a project may import the Mail facade by',
  );
  t.throws(() => runtimeImport('package', 'src/x.ts', 'no/such-module'), {
    message: /runtime module no\/such-module is exported by no entry point of fastpy-runtime/,
  });
});

test('every runtime source a project can import is exported by an entry point', (t) => {
  const areas = runtimeAreas();
  // A folder inside an area (fields/types/, libs/cache/) is one part, imported through its index: its
  // other modules are its own (a type's descriptor is reached through TYPES) and ejected with it.
  const unexported = runtimeSources()
    .filter((file) => !file.startsWith('database/migrations/'))
    .map((file) => file.replace(/\.ts$/, ''))
    .filter((module) => !areas.has(module) && folderPartOf(module) === undefined);
  t.deepEqual(unexported, []);
  t.true(areas.has('fields/types/index'));
  t.is(folderPartOf('fields/types/string'), 'fields/types');
  t.is(folderPartOf('libs/cache/drivers/redis'), 'libs/cache');
  t.is(folderPartOf('auth/tokens'), undefined, "an area's own folder holds parts, it is not one");
  t.is(folderPartOf('libs/config'), undefined);
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
