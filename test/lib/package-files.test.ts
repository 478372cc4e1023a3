// What `npm pack` ships: everything the installed `fastpy` and the generators load, and no tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import test from 'ava';
import { PACKAGE_VERSION } from '../../lib/package.js';

const ROOT = new URL('../../', import.meta.url).pathname;

test('the package holds the bundled and the compiled CLI, generators, templates and runtime', (t) => {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  t.is(result.status, 0, result.stderr);
  const files = new Set(
    (JSON.parse(result.stdout) as [{ files: { path: string }[] }])[0].files.map((file) => file.path),
  );
  const compiled = (readdirSync(`${ROOT}lib`, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.js'))
    .map((file) => `lib/${file}`);
  t.true(compiled.length > 20, 'npm test builds lib/ first');
  // The command itself runs from its bundle (scripts/bundle-cli.mjs), chunks included.
  const bundled = readdirSync(`${ROOT}dist`).map((file) => `dist/${file}`);
  t.true(bundled.includes('dist/main.js') && bundled.length > 3, 'npm test bundles the CLI into dist/');
  for (const file of ['bin/fastpy.js', 'package.json', 'README.md', ...compiled, ...bundled])
    t.true(files.has(file), file);
  for (const generator of readdirSync(`${ROOT}generators`)) {
    t.true(files.has(`generators/${generator}/index.js`), generator);
    if (!existsSync(`${ROOT}generators/${generator}/templates`)) continue; // the parts use resource's
    const templates = readdirSync(`${ROOT}generators/${generator}/templates`, {
      recursive: true,
      withFileTypes: true,
    }).filter((entry) => entry.isFile());
    for (const entry of templates)
      t.true(files.has(relative(ROOT, join(entry.parentPath, entry.name))), `${entry.parentPath}/${entry.name}`);
  }
  t.true(
    files.has('runtime/package.json') && files.has('runtime/http.ts') && files.has('runtime/fields/spec.js'),
    "the runtime's manifest and entry points (the generators read them), and the field language compiled for the generator",
  );
  t.true(files.has(`dist/fastpy-runtime-${PACKAGE_VERSION}.tgz`), 'the packed runtime new projects depend on');
  t.false(
    [...files].some((file) => file.startsWith('runtime/dist/')),
    "the runtime's build is in its tarball",
  );
  t.true(files.has('lib/cli/libs-usage/cache.ts'), "the facades' examples `fastpy libs <name> --usage` prints");
  t.false(
    [...files].some(
      (file) =>
        file.startsWith('test/') ||
        (file.endsWith('.test.ts') && !file.includes('/templates/')) ||
        (/^lib\/.*\.ts$/.test(file) && !file.startsWith('lib/cli/libs-usage/')),
    ),
    'no tests of this package, no TypeScript sources of lib',
  );
});
