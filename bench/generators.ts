// Generator speed, end to end as a user runs them (a fresh `node bin/fastpy.js` process each time):
// `fastpy new --yes --skip-install` (target ≤ 2 s) and `fastpy make:resource` with 10 fields (≤ 1 s).
// Prints figures; it is not a test. Usage: npm run bench:generators [-- --runs 7]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../bin/fastpy.js', import.meta.url).pathname;
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > -1 ? Number(process.argv[runsFlag + 1]) : 5;
const FIELDS = [
  'title:string:required,max:200', 'body:text:nullable', 'price:decimal:required,gte:0', 'stock:integer:gte:0,default:0', 'published:boolean:default:false',
  'published_at:datetime:nullable', 'sku:slug:required,unique', 'contact:email:nullable', 'meta:json:nullable', 'owner_id:integer:foreign:users.id',
];

function timed(args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`fastpy ${args.join(' ')} failed:\n${result.stderr}`);
  return ms;
}

function summary(name: string, samples: number[], targetMs: number): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const verdict = median <= targetMs ? 'within' : 'OVER';
  return `${name.padEnd(34)} min ${sorted[0]!.toFixed(0).padStart(5)} ms   median ${median.toFixed(0).padStart(5)} ms   max ${sorted.at(-1)!.toFixed(0).padStart(5)} ms   (target ≤ ${targetMs} ms: ${verdict})`;
}

const workspace = mkdtempSync(join(tmpdir(), 'fastpy-bench-'));
try {
  const created: number[] = [];
  const resources: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    created.push(timed(['new', `bench-${run}`, '--yes', '--skip-install'], workspace));
    resources.push(timed(['make:resource', 'Product', ...FIELDS.flatMap((field) => ['-f', field]), '-m', '-p'], join(workspace, `bench-${run}`)));
  }
  console.log(`generator-fastpy on Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${RUNS} runs each`);
  console.log(summary('fastpy new --yes --skip-install', created, 2000));
  console.log(summary('fastpy make:resource (10 fields)', resources, 1000));
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
