// Throughput of a generated API next to a hand-written bare Koa + Knex server (bench/bare-server.mjs)
// over the same table and database, measured with autocannon on 127.0.0.1: get by id, the list
// (page 1 and page 50, per_page 20), create, and /health. Also the generated server's cold start
// (spawn to its first 200) and idle RSS. Prints figures; it is not a test.
//
// Usage: npm run bench [-- --databases sqlite,postgresql,mysql --duration 10 --connections 10]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Driver } from '../runtime/database/dialects.js';
import {
  analyzeItems,
  BARE_SERVER,
  ROWS,
  cpuMicros,
  newItem,
  option,
  randomId,
  scaffoldProject,
  seedItems,
  start,
  startupFigures,
  type Started,
} from './project.js';

const DRIVERS = option('databases', 'sqlite,postgresql,mysql').split(',') as Driver[];
const DURATION = Number(option('duration', '10'));
const CONNECTIONS = Number(option('connections', '10'));

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  bad: number;
  /** The server's CPU time per request, µs (steadier than req/s on a shared machine). */
  cpu: number;
}

/** One autocannon run: a short warm-up, then the measured one. */
async function measure(
  server: Started,
  method: 'GET' | 'POST',
  path: () => string,
  seconds = DURATION,
): Promise<Figures> {
  const options = (duration: number): autocannon.Options => ({
    url: server.base,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method,
        setupRequest: (request) => ({
          ...request,
          path: path(),
          ...(method === 'POST' ? { body: newItem(), headers: { 'content-type': 'application/json' } } : {}),
        }),
      },
    ],
  });
  await autocannon(options(2));
  const cpuBefore = cpuMicros(server.child.pid!);
  const result = await autocannon(options(seconds));
  const cpu = (cpuMicros(server.child.pid!) - cpuBefore) / Math.max(1, result.requests.total);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad: result.non2xx + result.errors + result.timeouts,
    cpu,
  };
}

const mean = (a: Figures, b: Figures): Figures => ({
  rps: (a.rps + b.rps) / 2,
  p50: (a.p50 + b.p50) / 2,
  p99: Math.max(a.p99, b.p99),
  bad: a.bad + b.bad,
  cpu: (a.cpu + b.cpu) / 2,
});

async function benchDriver(driver: Driver, workspace: string): Promise<string[]> {
  const project = await scaffoldProject(driver, workspace);
  const launchGenerated = () => start(process.execPath, ['dist/server.js'], project.dir, project.env, '/health/');
  const launchBare = () =>
    start(
      process.execPath,
      [BARE_SERVER],
      project.dir,
      { DATABASE_URL: project.databaseUrl, TABLE: 'items', NODE_ENV: 'production' },
      '/health',
    );
  const startup = await startupFigures(launchGenerated);
  const bareStartup = await startupFigures(launchBare);
  const generated = await launchGenerated();
  await seedItems(generated.base);
  await analyzeItems(project.databaseUrl, project.dir);
  const bare = await launchBare();

  const cases: Array<[string, 'GET' | 'POST', () => string, () => string]> = [
    ['GET /:id', 'GET', () => `/api/items/${randomId()}`, () => `/items/${randomId()}`],
    ['list page 1', 'GET', () => '/api/items?page=1&per_page=20', () => '/items?page=1&per_page=20'],
    ['list page 50', 'GET', () => '/api/items?page=50&per_page=20', () => '/items?page=50&per_page=20'],
    ['POST', 'POST', () => '/api/items', () => '/items'],
    ['GET /health', 'GET', () => '/health/', () => '/health'],
  ];
  const lines = [
    `${driver}: cold start ${startup.coldStartMs.toFixed(0)} ms (target ≤ 1000), idle RSS ${startup.idleRssMb.toFixed(1)} MB (target ≤ 80); bare server: cold start ${bareStartup.coldStartMs.toFixed(0)} ms, idle RSS ${bareStartup.idleRssMb.toFixed(1)} MB (medians of ${startup.samples} starts)`,
  ];
  lines.push(
    `  ${'endpoint'.padEnd(14)}${'generated req/s'.padStart(16)}${'p50'.padStart(6)}${'p99'.padStart(6)}${'cpu µs'.padStart(8)}${'bare req/s'.padStart(12)}${'p50'.padStart(6)}${'p99'.padStart(6)}${'cpu µs'.padStart(8)}${'ratio'.padStart(8)}`,
  );
  try {
    for (const [label, method, generatedPath, barePath] of cases) {
      // A B B A: neither server gets the machine's better moments (WAL checkpoints, caches, frequency).
      const first = await measure(generated, method, generatedPath, DURATION / 2);
      const theirs = mean(
        await measure(bare, method, barePath, DURATION / 2),
        await measure(bare, method, barePath, DURATION / 2),
      );
      const ours = mean(first, await measure(generated, method, generatedPath, DURATION / 2));
      const ratio = ours.rps / theirs.rps;
      const target = label.startsWith('GET /:id') ? 0.9 : label.startsWith('list') ? 0.85 : undefined;
      const verdict = target === undefined ? '' : ratio >= target ? ` (≥ ${target} ✓)` : ` (target ${target} ✗)`;
      const errors = ours.bad + theirs.bad > 0 ? `  non-2xx/errors: ${ours.bad} / ${theirs.bad}` : '';
      lines.push(
        `  ${label.padEnd(14)}${ours.rps.toFixed(0).padStart(16)}${String(ours.p50).padStart(6)}${String(ours.p99).padStart(6)}${ours.cpu.toFixed(0).padStart(8)}${theirs.rps.toFixed(0).padStart(12)}${String(theirs.p50).padStart(6)}${String(theirs.p99).padStart(6)}${theirs.cpu.toFixed(0).padStart(8)}${ratio.toFixed(2).padStart(8)}${verdict}${errors}`,
      );
      console.error(lines.at(-1));
    }
  } finally {
    await Promise.all([generated.stop(), bare.stop()]);
    await project.dropDatabase();
  }
  return lines;
}

const workspace = mkdtempSync(join(tmpdir(), 'fastpy-bench-api-'));
try {
  console.log(
    `generated API vs bare Koa + Knex — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}`,
  );
  console.log(
    `autocannon: ${CONNECTIONS} connections; per endpoint and server ${DURATION} s in two halves (generated, bare, bare, generated), each after a 2 s warm-up; ${ROWS} rows; p50 the mean, p99 the worse of the halves, in ms; cpu µs: the server's CPU time per request`,
  );
  for (const driver of DRIVERS) for (const line of await benchDriver(driver, workspace)) console.log(line);
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
