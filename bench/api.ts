// Throughput of a generated API next to a hand-written bare Koa + Knex server (bench/bare-server.ts)
// over the same table and database, measured with autocannon on 127.0.0.1: get by id, the list
// (page 1 and page 50, per_page 20), create, and /health. Also the generated server's cold start
// (spawn to its first 200) and idle RSS. Prints figures; it is not a test.
//
// Usage: npm run bench [-- --databases sqlite,postgresql,mysql --duration 10 --connections 10]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Driver } from '../runtime/database/dialects.js';
import { databaseUrl, recreateDatabase } from '../test/helpers/databases.js';
import { linkProjectDependencies } from '../test/helpers/project-deps.js';

const BIN = new URL('../bin/fastpy.js', import.meta.url).pathname;
const BARE = new URL('./bare-server.mjs', import.meta.url).pathname;
const option = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > -1 ? process.argv[index + 1]! : fallback;
};
const DRIVERS = option('databases', 'sqlite,postgresql,mysql').split(',') as Driver[];
const DURATION = Number(option('duration', '10'));
const CONNECTIONS = Number(option('connections', '10'));
const ROWS = 10_000;
const DATABASE = 'fastpy_bench';
const FIELDS = ['name:string:required,max:120', 'sku:slug:required,unique', 'price:decimal:required,gte:0', 'stock:integer:gte:0,default:0,index', 'published:boolean:default:false,index'];

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_ENV: undefined }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface Started {
  child: ChildProcess;
  base: string;
  coldStartMs: number;
  stop(): Promise<void>;
}

/** Spawns a server and polls its health route; the time to the first 200 is its cold start. */
async function start(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, healthPath: string): Promise<Started> {
  const port = await freePort();
  const began = process.hrtime.bigint();
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited:\n${stderr}`);
    try {
      if ((await fetch(base + healthPath)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const coldStartMs = Number(process.hrtime.bigint() - began) / 1e6;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = () => {
    child.kill('SIGTERM');
    return exited;
  };
  return { child, base, coldStartMs, stop };
}

/** Resident memory of a process, from /proc (Linux). */
function rssMb(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Number(line[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

let serial = 0;
const newItem = () => JSON.stringify({ name: `Item ${++serial}`, sku: `sku-${process.pid}-${serial}-${randomBytes(3).toString('hex')}`, price: '19.99', stock: serial % 50, published: serial % 2 === 0 });

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

/** One autocannon run: a short warm-up, then the measured one. */
async function measure(base: string, method: 'GET' | 'POST', path: () => string, seconds = DURATION): Promise<Figures> {
  const options = (duration: number): autocannon.Options => ({
    url: base,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method,
        setupRequest: (request) => ({ ...request, path: path(), ...(method === 'POST' ? { body: newItem(), headers: { 'content-type': 'application/json' } } : {}) }),
      },
    ],
  });
  await autocannon(options(2));
  const result = await autocannon(options(seconds));
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad: result.non2xx + result.errors + result.timeouts };
}

const mean = (a: Figures, b: Figures): Figures => ({ rps: (a.rps + b.rps) / 2, p50: (a.p50 + b.p50) / 2, p99: Math.max(a.p99, b.p99), bad: a.bad + b.bad });

const randomId = () => String(1 + Math.floor(Math.random() * ROWS));

async function benchDriver(driver: Driver, workspace: string): Promise<string[]> {
  const name = `bench-${driver}`;
  const url = driver === 'sqlite' ? undefined : databaseUrl(driver, DATABASE);
  if (driver !== 'sqlite') await recreateDatabase(driver, DATABASE);
  run(process.execPath, [BIN, 'new', name, '--yes', '--skip-install', ...(url ? ['--db', driver, '--database-url', url] : [])], workspace);
  const dir = join(workspace, name);
  run(process.execPath, [BIN, 'make:resource', 'Item', ...FIELDS.flatMap((field) => ['-f', field]), '-m'], dir);
  linkProjectDependencies([dir]);
  run('npx', ['knex', 'migrate:latest'], dir);
  run('npm', ['run', 'build'], dir);

  const env = { NODE_ENV: 'production', SECRET_KEY: randomBytes(48).toString('base64url'), RATE_LIMIT_ENABLED: 'false', LOG_PRETTY: 'false', ...(url ? { DATABASE_URL: url } : {}) };
  const generated = await start(process.execPath, ['dist/server.js'], dir, env, '/health/');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idleRss = rssMb(generated.child.pid!);
  // 10,000 rows, through the API itself.
  const seeded = await autocannon({ url: generated.base, connections: 20, amount: ROWS, requests: [{ method: 'POST', path: '/api/items', setupRequest: (request) => ({ ...request, body: newItem(), headers: { 'content-type': 'application/json' } }) }] });
  if (seeded.non2xx + seeded.errors > 0) throw new Error(`seeding ${driver}: ${seeded.non2xx} non-2xx, ${seeded.errors} errors`);

  // The same database as the project's .env (a relative SQLite path resolves in the project, the bare server's working directory).
  const projectUrl = url ?? readFileSync(join(dir, '.env'), 'utf8').match(/^DATABASE_URL="?([^"\n]+)"?$/m)![1]!;
  const bare = await start(process.execPath, [BARE], dir, { DATABASE_URL: projectUrl, TABLE: 'items', NODE_ENV: 'production' }, '/health');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const bareIdleRss = rssMb(bare.child.pid!);

  const cases: Array<[string, 'GET' | 'POST', () => string, () => string]> = [
    ['GET /:id', 'GET', () => `/api/items/${randomId()}`, () => `/items/${randomId()}`],
    ['list page 1', 'GET', () => '/api/items?page=1&per_page=20', () => '/items?page=1&per_page=20'],
    ['list page 50', 'GET', () => '/api/items?page=50&per_page=20', () => '/items?page=50&per_page=20'],
    ['POST', 'POST', () => '/api/items', () => '/items'],
    ['GET /health', 'GET', () => '/health/', () => '/health'],
  ];
  const lines = [`${driver}: cold start ${generated.coldStartMs.toFixed(0)} ms (target ≤ 1000), idle RSS ${idleRss?.toFixed(1) ?? '?'} MB (target ≤ 80); bare server: cold start ${bare.coldStartMs.toFixed(0)} ms, idle RSS ${bareIdleRss?.toFixed(1) ?? '?'} MB`];
  lines.push(`  ${'endpoint'.padEnd(14)}${'generated req/s'.padStart(16)}${'p50'.padStart(6)}${'p99'.padStart(6)}${'bare req/s'.padStart(12)}${'p50'.padStart(6)}${'p99'.padStart(6)}${'ratio'.padStart(8)}`);
  try {
    for (const [label, method, generatedPath, barePath] of cases) {
      // A B B A: neither server gets the machine's better moments (WAL checkpoints, caches, frequency).
      const first = await measure(generated.base, method, generatedPath, DURATION / 2);
      const theirs = mean(await measure(bare.base, method, barePath, DURATION / 2), await measure(bare.base, method, barePath, DURATION / 2));
      const ours = mean(first, await measure(generated.base, method, generatedPath, DURATION / 2));
      const ratio = ours.rps / theirs.rps;
      const target = label.startsWith('GET /:id') ? 0.9 : label.startsWith('list') ? 0.85 : undefined;
      const verdict = target === undefined ? '' : ratio >= target ? ` (≥ ${target} ✓)` : ` (target ${target} ✗)`;
      const errors = ours.bad + theirs.bad > 0 ? `  non-2xx/errors: ${ours.bad} / ${theirs.bad}` : '';
      lines.push(`  ${label.padEnd(14)}${ours.rps.toFixed(0).padStart(16)}${String(ours.p50).padStart(6)}${String(ours.p99).padStart(6)}${theirs.rps.toFixed(0).padStart(12)}${String(theirs.p50).padStart(6)}${String(theirs.p99).padStart(6)}${ratio.toFixed(2).padStart(8)}${verdict}${errors}`);
      console.error(lines.at(-1));
    }
  } finally {
    await Promise.all([generated.stop(), bare.stop()]);
    if (driver !== 'sqlite') await recreateDatabase(driver, DATABASE, true).catch(() => undefined);
  }
  return lines;
}

const workspace = mkdtempSync(join(tmpdir(), 'fastpy-bench-api-'));
try {
  console.log(`generated API vs bare Koa + Knex — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}`);
  console.log(`autocannon: ${CONNECTIONS} connections; per endpoint and server ${DURATION} s in two halves (generated, bare, bare, generated), each after a 2 s warm-up; ${ROWS} rows; p50 the mean, p99 the worse of the halves, in ms`);
  for (const driver of DRIVERS) for (const line of await benchDriver(driver, workspace)) console.log(line);
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
