// Runs after `tsc` (npm run build): writes dist/package.json, so the built app resolves `#libs`
// (and any other package.json "imports" entry) to the compiled files in dist/ — package.json's
// own entries point at src/*.ts, for tsx, the tests and the Knex CLI.
import { readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const compiled = (target) => target.replace(/^\.\/src\//, './').replace(/\.ts$/, '.js');
const imports = Object.fromEntries(Object.entries(pkg.imports ?? {}).map(([name, target]) => [name, compiled(target)]));
writeFileSync(
  'dist/package.json',
  `${JSON.stringify({ name: `${pkg.name}-dist`, private: true, type: 'module', imports }, null, 2)}\n`,
);
