// Bundles the `fastpy` command (lib/cli/main.js, compiled by tsc first) into dist/: one file for the
// command line, and chunks loaded only by the commands that need them (the generators with Yeoman).
// Loading a few large files is much faster than Node resolving and reading the hundreds of modules
// Yeoman's graph has: see BENCHMARKS.md, "The fastpy command". `yo fastpy` and the tests use the
// unbundled modules.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/**
 * Yeoman reads its own package.json beside its modules (its version, for the check that a generator
 * and the environment fit); bundled, the file beside them is this package's. Each read becomes the
 * package.json it meant, and a read not found stops the build (a Yeoman upgrade moved it).
 */
const OWN_PACKAGE_READS = {
  'yeoman-generator/dist/generator.js': ["readFileSync(pathJoin(_dirname, '../package.json'), 'utf8')"],
  'yeoman-environment/dist/environment-base.js': ["require('../package.json')"],
  'yeoman-environment/dist/module-lookup.js': ["readFileSync(join(PROJECT_ROOT, 'package.json')).toString()"],
};

/**
 * yeoman-environment can install generators on the fly (fly-import, through npm's Arborist); fastpy
 * only runs its own, so Arborist's module graph (a third of the bundle) is left out.
 */
const noGeneratorInstalls = {
  name: 'no-generator-installs',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^@npmcli\/arborist$/ }, () => ({ path: 'arborist', namespace: 'fastpy-stub' }));
    esbuild.onLoad({ filter: /.*/, namespace: 'fastpy-stub' }, () => ({
      contents:
        "export default class Arborist { constructor() { throw new Error('fastpy runs its own generators only: it installs none'); } }",
      loader: 'js',
    }));
  },
};

const ownPackageReads = {
  name: 'own-package-reads',
  setup(esbuild) {
    esbuild.onLoad({ filter: /node_modules\/yeoman-(generator|environment)\/dist\/.*\.js$/ }, (args) => {
      const file = Object.keys(OWN_PACKAGE_READS).find((suffix) => args.path.endsWith(`/node_modules/${suffix}`));
      if (!file) return undefined;
      const text = readFileSync(args.path, 'utf8');
      const manifest = readFileSync(
        new URL(`node_modules/${file.split('/')[0]}/package.json`, `file://${root}`),
        'utf8',
      );
      let contents = text;
      for (const read of OWN_PACKAGE_READS[file]) {
        if (!contents.includes(read)) throw new Error(`${file} no longer has ${read}: update scripts/bundle-cli.mjs`);
        contents = contents.replace(read, read.startsWith('require') ? `(${manifest})` : JSON.stringify(manifest));
      }
      return { contents, loader: 'js' };
    });
  },
};
rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['lib/cli/main.js'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Prettier finds its plugins by path: it stays a package.
  external: ['prettier'],
  // Every chunk sits in dist/, one level below the package root (lib/package.ts counts on it), and
  // the CommonJS packages bundled in get what they expect of a module.
  chunkNames: '[name]-[hash]',
  banner: {
    js: [
      "import { createRequire as __fastpyCreateRequire } from 'node:module';",
      "import { dirname as __fastpyDirname } from 'node:path';",
      "import { fileURLToPath as __fastpyFileURLToPath } from 'node:url';",
      'const require = __fastpyCreateRequire(import.meta.url);',
      'const __fastpyFilename = __fastpyFileURLToPath(import.meta.url);',
      'const __fastpyDirnameValue = __fastpyDirname(__fastpyFilename);',
    ].join('\n'),
  },
  // Only where a CommonJS module uses them unbound: ES modules that declare their own keep theirs.
  define: { __filename: '__fastpyFilename', __dirname: '__fastpyDirnameValue' },
  plugins: [ownPackageReads, noGeneratorInstalls],
  logLevel: 'warning',
});
