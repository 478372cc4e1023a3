#!/usr/bin/env node
// The `fastpy` command: lib/cli/*.ts, compiled and bundled into dist/ by `npm run build`.
import module from 'node:module';

// Node 22.1+ caches compiled modules on disk: later runs load Yeoman's many modules much faster.
module.enableCompileCache?.();

const bundle = new URL('../dist/main.js', import.meta.url);
let main;
try {
  ({ main } = await import(bundle.href));
} catch (error) {
  // A checkout installed without its build (npm install --ignore-scripts): say so, not a stack.
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || error?.url !== bundle.href) throw error;
  console.error(
    `fastpy is not built here (${new URL('..', bundle).pathname}): run \`npm run build\` in that folder, then try again.`,
  );
  process.exit(1);
}
process.exitCode = await main(process.argv);
