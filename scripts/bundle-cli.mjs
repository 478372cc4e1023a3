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
 * Packages Yeoman imports for features fastpy never uses, left out of the bundle: loading them cost
 * every `new` and `make:*` run their parsing and, for ky, Node's whole fetch implementation (ky
 * probes `Request` when loaded). Each is replaced by a module whose exports throw if called, naming
 * what fastpy does not do; `source` adds what must still work (a class Yeoman constructs at start).
 * See BENCHMARKS.md, "The fastpy command".
 */
const UNUSED_PACKAGES = {
  // yeoman-environment installs generators on the fly (fly-import: npm's Arborist, the registry's
  // settings): fastpy runs its own. The environment makes a repository at start, used only to install.
  'fly-import': {
    exports: ['flyImport'],
    reason: 'fastpy runs its own generators only: it installs none',
    source:
      'export class FlyRepository { constructor(options) { Object.assign(this, options); } install() { unused(); } }',
  },
  // yeoman-generator's addDependencies() without a version asks the registry (ky, package-json): fastpy pins.
  'latest-version': { exports: ['default'], reason: 'fastpy pins every version it writes: it looks none up' },
  // yeoman-generator's this.simpleGit and this.git.name()/email(): fastpy runs git itself (lib/project-git.ts).
  'simple-git': {
    exports: ['simpleGit', 'CheckRepoActions', 'CleanOptions'],
    reason: "fastpy runs git itself: Yeoman's git helpers are left out",
  },
  // Inquirer's editor prompt (an external editor, with iconv-lite and chardet): fastpy asks no such question.
  '@inquirer/editor': { exports: ['default'], reason: 'fastpy asks no question in an external editor' },
};

const unusedPackages = {
  name: 'unused-packages',
  setup(esbuild) {
    const names = Object.keys(UNUSED_PACKAGES).map((name) => name.replace(/[/.]/g, '\\$&'));
    esbuild.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: args.path,
      namespace: 'fastpy-unused',
    }));
    esbuild.onLoad({ filter: /.*/, namespace: 'fastpy-unused' }, (args) => {
      const { exports, reason, source = '' } = UNUSED_PACKAGES[args.path];
      const unused = `function unused() { throw new Error(${JSON.stringify(`${args.path}: ${reason}`)}); }`;
      const lines = exports.map((name) =>
        name === 'default' ? 'export default unused;' : `export { unused as ${name} };`,
      );
      return { contents: [unused, ...lines, source].join('\n'), loader: 'js' };
    });
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
  entryPoints: [
    { in: 'lib/cli/main.js', out: 'main' },
    // The thread Prettier formats in (lib/format.ts): a file of its own beside the chunks.
    { in: 'lib/format-worker.js', out: 'format-worker' },
  ],
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
  plugins: [ownPackageReads, unusedPackages],
  logLevel: 'warning',
});
