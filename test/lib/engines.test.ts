import test from 'ava';
import { satisfiesEngines } from '../../lib/cli/commands/global.js';
import { NODE_ENGINES } from '../../lib/versions.js';

test('Node versions against the engines range', (t) => {
  for (const version of ['v20.19.0', 'v20.20.2', 'v22.20.0', 'v22.21.1', 'v24.12.0', 'v25.1.0'])
    t.true(satisfiesEngines(version, NODE_ENGINES), version);
  for (const version of ['v18.20.0', 'v20.18.9', 'v21.7.0', 'v22.19.0', 'v23.5.0', 'v24.11.0'])
    t.false(satisfiesEngines(version, NODE_ENGINES), version);
});
