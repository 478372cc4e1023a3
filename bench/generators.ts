// The fastpy command's speed, end to end as a user runs it (a fresh `node bin/fastpy.js` process each
// time), against issue 19's targets: `--version`, `--help` and `list` ≤ 100 ms, `fastpy new --yes
// --skip-install` ≤ 500 ms, `fastpy make:resource` with 10 fields ≤ 400 ms; `node -e 0` beside them.
// Prints figures; it is not a test. Usage: npm run bench:generators [-- --runs 7]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../bin/fastpy.js', import.meta.url).pathname;
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > -1 ? Number(process.argv[runsFlag + 1]) : 5;
const FIELDS = [
  'title:string:required,max:200',
  'body:text:nullable',
  'price:decimal:required,gte:0',
  'stock:integer:gte:0,default:0',
  'published:boolean:default:false',
  'published_at:datetime:nullable',
  'sku:slug:required,unique',
  'contact:email:nullable',
  'meta:json:nullable',
  'owner_id:integer:foreign:users.id',
];

function timed(args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
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
  const quick: Record<string, number[]> = { '--version': [], '--help': [], list: [] };
  const bare: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const [command, samples] of Object.entries(quick)) samples.push(timed([command], workspace));
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(Number(process.hrtime.bigint() - started) / 1e6);
    created.push(timed(['new', `bench-${run}`, '--yes', '--skip-install'], workspace));
    resources.push(
      timed(
        ['make:resource', 'Product', ...FIELDS.flatMap((field) => ['-f', field]), '-m', '-p'],
        join(workspace, `bench-${run}`),
      ),
    );
  }
  console.log(
    `generator-fastpy on Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${RUNS} runs each`,
  );
  console.log(summary('node -e 0 (Node itself)', bare, 100));
  for (const [command, samples] of Object.entries(quick)) console.log(summary(`fastpy ${command}`, samples, 100));
  console.log(summary('fastpy new --yes --skip-install', created, 500));
  console.log(summary('fastpy make:resource (10 fields)', resources, 400));
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
