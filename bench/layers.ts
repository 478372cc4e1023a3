// Where a generated API's time goes, layer by layer: the server's CPU time per request for a get by
// id answered at each depth of the stack (bench/layer-server.mjs), next to the bare Koa + Knex server.
// The difference between two rows is what one layer costs. Prints figures; it is not a test.
//
// Usage: npm run bench:layers [-- --database sqlite --requests 30000 --rounds 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Driver } from '../runtime/database/dialects.js';
import {
  BARE_SERVER,
  cpuMicros,
  median,
  option,
  randomId,
  scaffoldProject,
  seedItems,
  start,
  type Started,
} from './project.js';

const DRIVER = option('database', 'sqlite') as Driver;
const REQUESTS = Number(option('requests', '30000'));
const ROUNDS = Number(option('rounds', '3'));
const LAYER_SERVER = new URL('./layer-server.mjs', import.meta.url).pathname;

/** Rows in stack order, each one layer deeper than the row above: name, path answered, what it adds. */
const LAYERS: Array<[string, string, string]> = [
  ['koa', '/probe/koa/', 'Koa + the Knex read, nothing else'],
  ['request-id', '/probe/request-id/', '+ X-Request-ID (kept or a new UUID)'],
  ['timing', '/probe/timing/', '+ X-Response-Time (and the slow-request log check)'],
  ['error-handler', '/probe/error-handler/', '+ the error handler around the rest'],
  ['security-headers', '/probe/security-headers/', '+ 7 security headers'],
  ['body-parser', '/probe/body-parser/', '+ the body parser (a GET: nothing to parse)'],
  ['repository', '/probe/repository/', 'repository.find(): soft-delete scope, casts'],
  ['envelope', '/probe/envelope/', '+ 404 check, serialize, the success envelope'],
  ['controller', '/probe/controller/', '+ ResourceController.show (id check, ?include, service)'],
  ['router', '/probe/router/', "+ @koa/router's own dispatch (a router with this one route)"],
  ['route', '/api/items/', "the generated route: dispatch() over the app's router (27 routes)"],
];

/** The server's CPU µs per request over `amount` requests (10 connections). */
async function cpuPerRequest(server: Started, prefix: string, amount: number): Promise<number> {
  const before = cpuMicros(server.child.pid!);
  const result = await autocannon({
    url: server.base,
    connections: 10,
    amount,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: prefix + randomId() }) }],
  });
  if (result.non2xx + result.errors > 0)
    throw new Error(`${prefix}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return (cpuMicros(server.child.pid!) - before) / amount;
}

const workspace = mkdtempSync(join(tmpdir(), 'fastpy-bench-layers-'));
const servers: Started[] = [];
let dropDatabase = async () => {};
try {
  const project = await scaffoldProject(DRIVER, workspace);
  dropDatabase = () => project.dropDatabase();
  const generated = await start(process.execPath, ['dist/server.js'], project.dir, project.env, '/health/');
  await seedItems(generated.base);
  await generated.stop();
  const probes = await start(process.execPath, [LAYER_SERVER], project.dir, project.env, '/health/');
  servers.push(probes);
  const bare = await start(
    process.execPath,
    [BARE_SERVER],
    project.dir,
    { DATABASE_URL: project.databaseUrl, TABLE: 'items', NODE_ENV: 'production' },
    '/health',
  );
  servers.push(bare);

  const targets: Array<[string, Started, string]> = [
    ...LAYERS.map(([name, prefix]) => [name, probes, prefix] as [string, Started, string]),
    ['bare', bare, '/items/'],
  ];
  for (const [, server, prefix] of targets) await cpuPerRequest(server, prefix, Math.min(5000, REQUESTS));
  const samples = new Map<string, number[]>(targets.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order so that no layer always runs at the machine's better or worse moments.
    for (const [name, server, prefix] of round % 2 === 0 ? targets : targets.toReversed())
      samples.get(name)!.push(await cpuPerRequest(server, prefix, REQUESTS));
  }

  console.log(
    `GET /:id, layer by layer (${DRIVER}) — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}`,
  );
  console.log(
    `server CPU µs per request, median of ${ROUNDS} runs of ${REQUESTS} requests (10 connections); the kernel counts CPU in 10 ms ticks`,
  );
  console.log(`${'µs/req'.padStart(8)}${'added'.padStart(8)}  layer`);
  let previous: number | undefined;
  for (const [name, , description] of LAYERS) {
    const value = median(samples.get(name)!);
    const added = previous === undefined ? '' : `${value >= previous ? '+' : ''}${(value - previous).toFixed(1)}`;
    console.log(`${value.toFixed(1).padStart(8)}${added.padStart(8)}  ${name}: ${description}`);
    previous = value;
  }
  const bareValue = median(samples.get('bare')!);
  const routeValue = median(samples.get('route')!);
  console.log(
    `${bareValue.toFixed(1).padStart(8)}${''.padStart(8)}  bare Koa + Knex server (@koa/router, body parser, the read)`,
  );
  console.log(`generated ÷ bare, in CPU per request: ${(bareValue / routeValue).toFixed(2)}`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await dropDatabase();
  rmSync(workspace, { recursive: true, force: true });
}
