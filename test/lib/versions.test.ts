import { readFileSync } from 'node:fs';
import test from 'ava';
import { NODE_ENGINES, pinned, VERSIONS } from '../../lib/versions.js';

const repo = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

test('every version in the map is exact (no ranges, no latest)', (t) => {
  for (const [name, version] of Object.entries(VERSIONS)) t.regex(version, /^\d+\.\d+\.\d+$/, name);
});

test('runtime/ is tested here with the versions generated projects get', (t) => {
  const ours = { ...repo.dependencies, ...repo.devDependencies };
  for (const [name, version] of Object.entries(VERSIONS)) {
    if (name in ours)
      t.is(ours[name], version, `${name}: package.json has ${ours[name]}, lib/versions.ts has ${version}`);
  }
  t.is(repo.engines.node, NODE_ENGINES);
});

test('pinned() picks and sorts', (t) => {
  t.deepEqual(Object.keys(pinned(['pg', 'koa', 'knex', 'koa'])), ['knex', 'koa', 'pg']);
});
