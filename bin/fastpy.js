#!/usr/bin/env node
// The `fastpy` command: lib/cli/*.ts, compiled and bundled into dist/ by `npm run build`.
import module from 'node:module';

// Node 22.1+ caches compiled modules on disk: later runs load Yeoman's many modules much faster.
module.enableCompileCache?.();

const { main } = await import('../dist/main.js');
process.exitCode = await main(process.argv);
