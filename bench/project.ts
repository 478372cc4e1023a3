// What the API benchmarks share: a scaffolded project with the resource `Item`, servers started
// and stopped, and readings of a process's memory and CPU time from /proc (Linux).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import knex from 'knex';
import { driverOfUrl, knexConfigFromUrl, type Driver } from '../runtime/database/dialects.js';
import { databaseUrl, recreateDatabase } from '../test/helpers/databases.js';
import { linkProjectDependencies } from '../test/helpers/project-deps.js';

const BIN = new URL('../bin/fastpy.js', import.meta.url).pathname;
export const BARE_SERVER = new URL('./bare-server.mjs', import.meta.url).pathname;
export const ROWS = 10_000;
const DATABASE = 'fastpy_bench';
const FIELDS = [
  'name:string:required,max:120',
  'sku:slug:required,unique',
  'price:decimal:required,gte:0',
  'stock:integer:gte:0,default:0,index',
  'published:boolean:default:false,index',
];

/** `--name value` from the command line. */
export function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > -1 ? process.argv[index + 1]! : fallback;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  });
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

export interface Started {
  child: ChildProcess;
  base: string;
  coldStartMs: number;
  stop(): Promise<void>;
}

/** Spawns a server and polls its health route; the time to the first 200 is its cold start. */
export async function start(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  healthPath: string,
): Promise<Started> {
  const port = await freePort();
  const began = process.hrtime.bigint();
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
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

/** Resident memory of a process in MB. */
export function rssMb(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Number(line[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used, in µs; the kernel counts it in clock ticks (10 ms). */
export function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

export interface StartupFigures {
  /** Median spawn → first 200, ms. */
  coldStartMs: number;
  /** Median resident memory 2 s after the first 200, MB. */
  idleRssMb: number;
  samples: number;
}

/** Cold start and idle memory over several fresh starts: one start's RSS moves by ±3 MB. */
export async function startupFigures(launch: () => Promise<Started>, samples = 5): Promise<StartupFigures> {
  const coldStarts: number[] = [];
  const rss: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const server = await launch();
    try {
      coldStarts.push(server.coldStartMs);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      rss.push(rssMb(server.child.pid!) ?? Number.NaN);
    } finally {
      await server.stop();
    }
  }
  return { coldStartMs: median(coldStarts), idleRssMb: median(rss), samples };
}

/** The middle value (the upper of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

let serial = 0;
/** A new Item's JSON body (unique sku). */
export const newItem = () =>
  JSON.stringify({
    name: `Item ${++serial}`,
    sku: `sku-${process.pid}-${serial}-${randomBytes(3).toString('hex')}`,
    price: '19.99',
    stock: serial % 50,
    published: serial % 2 === 0,
  });

/** An id between 1 and ROWS. */
export const randomId = () => String(1 + Math.floor(Math.random() * ROWS));

export interface BenchProject {
  dir: string;
  /** DATABASE_URL as the bare server needs it (the project's own for SQLite). */
  databaseUrl: string;
  /** Environment the generated server runs with: production, rate limiting off. */
  env: NodeJS.ProcessEnv;
  /** Drops the benchmark database (PostgreSQL, MySQL). */
  dropDatabase(): Promise<void>;
}

/** `fastpy new` + `make:resource Item` (5 fields), dependencies linked, migrated and built. */
export async function scaffoldProject(driver: Driver, workspace: string): Promise<BenchProject> {
  const name = `bench-${driver}`;
  const url = driver === 'sqlite' ? undefined : databaseUrl(driver, DATABASE);
  if (driver !== 'sqlite') await recreateDatabase(driver, DATABASE);
  run(
    process.execPath,
    [BIN, 'new', name, '--yes', '--skip-install', ...(url ? ['--db', driver, '--database-url', url] : [])],
    workspace,
  );
  const dir = join(workspace, name);
  run(process.execPath, [BIN, 'make:resource', 'Item', ...FIELDS.flatMap((field) => ['-f', field]), '-m'], dir);
  linkProjectDependencies([dir]);
  run('npx', ['knex', 'migrate:latest'], dir);
  run('npm', ['run', 'build'], dir);
  // A relative SQLite path resolves in the project, which is every server's working directory.
  const projectUrl = url ?? readFileSync(join(dir, '.env'), 'utf8').match(/^DATABASE_URL="?([^"\n]+)"?$/m)![1]!;
  return {
    dir,
    databaseUrl: projectUrl,
    env: {
      NODE_ENV: 'production',
      SECRET_KEY: randomBytes(48).toString('base64url'),
      RATE_LIMIT_ENABLED: 'false',
      LOG_PRETTY: 'false',
      ...(url ? { DATABASE_URL: url } : {}),
    },
    dropDatabase: async () => {
      if (driver !== 'sqlite') await recreateDatabase(driver, DATABASE, true).catch(() => undefined);
    },
  };
}

/** ROWS items, created through the generated API itself. */
export async function seedItems(base: string): Promise<void> {
  const seeded = await autocannon({
    url: base,
    connections: 20,
    amount: ROWS,
    requests: [
      {
        method: 'POST',
        path: '/api/items',
        setupRequest: (request) => ({ ...request, body: newItem(), headers: { 'content-type': 'application/json' } }),
      },
    ],
  });
  if (seeded.non2xx + seeded.errors > 0) throw new Error(`seeding: ${seeded.non2xx} non-2xx, ${seeded.errors} errors`);
}

/**
 * Planner statistics for the seeded table, as a table that has lived a while has them: a table
 * measured straight after a bulk insert has none (PostgreSQL VACUUM ANALYZE, MySQL ANALYZE TABLE,
 * SQLite ANALYZE).
 */
export async function analyzeItems(url: string, projectDir: string): Promise<void> {
  const db = knex(knexConfigFromUrl(url, { baseDir: projectDir }));
  try {
    const driver = driverOfUrl(url);
    await db.raw(
      driver === 'postgresql' ? 'VACUUM ANALYZE items' : driver === 'mysql' ? 'ANALYZE TABLE items' : 'ANALYZE',
    );
  } finally {
    await db.destroy();
  }
}
