// A generator run is all or nothing: a destination it cannot write stops it before any file is
// written, and an interrupt at any moment leaves the project as it was or complete, never between.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import test from 'ava';
import { fastpy } from '../helpers/cli.js';

const BIN = new URL('../../bin/fastpy.js', import.meta.url).pathname;
const FIELDS = [
  'title:string:required,max:200',
  'body:text:nullable',
  'price:decimal:required,gte:0',
  'published:boolean:default:false',
  'cover:image:nullable',
].flatMap((spec) => ['-f', spec]);

/** Every file of a project and its content (migration stamps masked: they differ run to run). */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else
        files.set(
          relative(dir, path).replace(/\d{14}_/, 'STAMP_'),
          readFileSync(path, 'utf8').replace(/\d{14}_/g, 'STAMP_'),
        );
    }
  };
  walk(dir);
  return files;
}

const base = mkdtempSync(join(tmpdir(), 'fastpy-atomic-'));
test.before(() => {
  const made = fastpy(['new', 'api', '--yes', '--skip-install'], base);
  if (made.status !== 0) throw new Error(made.stderr);
});
test.after.always(() => rmSync(base, { recursive: true, force: true }));

function copy(name: string): string {
  const dir = join(base, name);
  cpSync(join(base, 'api'), dir, { recursive: true });
  return dir;
}

test('a destination that cannot be written stops the run before any file is written, naming it', (t) => {
  const dir = copy('blocked');
  const before = snapshot(dir);
  mkdirSync(join(dir, 'src/controllers/post-controller.ts')); // a folder where a file must go
  const result = fastpy(['make:resource', 'Post', ...FIELDS, '-m'], dir);
  t.is(result.status, 1);
  t.regex(
    result.stderr,
    /Cannot write src\/controllers\/post-controller\.ts \(a directory is in the way\)\. Nothing was written: move what is in the way/,
  );
  rmSync(join(dir, 'src/controllers/post-controller.ts'), { recursive: true });
  t.deepEqual([...snapshot(dir).keys()].sort(), [...before.keys()].sort(), 'no file added');
  t.deepEqual(snapshot(dir), before, 'no file changed, .yo-rc.json included');
});

test('a file where a folder must be: nothing is written either', (t) => {
  const dir = copy('file-in-the-way');
  const before = snapshot(dir);
  rmSync(join(dir, 'src/controllers'), { recursive: true });
  cpSync(join(dir, 'package.json'), join(dir, 'src/controllers'));
  const result = fastpy(['make:resource', 'Post', ...FIELDS, '-m'], dir);
  t.is(result.status, 1);
  t.regex(
    result.stderr,
    /Cannot write src\/controllers\/post-controller\.ts \(src\/controllers is a file, not a folder\)\. Nothing was written:/,
  );
  const after = snapshot(dir);
  t.false(after.has('src/models/post.ts'));
  t.is(after.get('.yo-rc.json'), before.get('.yo-rc.json'));
});

test('interrupted at any moment, a run leaves the project as it was or complete, and no temporary file', async (t) => {
  // What a whole run changes: the reference every interrupted run is held to.
  const reference = copy('reference');
  const before = snapshot(reference);
  const made = fastpy(['make:resource', 'Post', ...FIELDS, '-m'], reference);
  t.is(made.status, 0, made.stderr);
  const complete = snapshot(reference);
  t.true(complete.size > before.size);

  const outcomes = { unchanged: 0, complete: 0 };
  for (const [index, delay] of [0, 150, 300, 450, 550, 650, 750, 850, 950, 1100, 1300, 1600].entries()) {
    const dir = copy(`interrupted-${index}`);
    const child = spawn(process.execPath, [BIN, 'make:resource', 'Post', ...FIELDS, '-m'], {
      cwd: dir,
      stdio: 'ignore',
    });
    const closed = new Promise((resolve) => child.once('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, delay));
    child.kill('SIGINT');
    await closed;
    const after = snapshot(dir);
    t.deepEqual(
      [...after.keys()].filter((file) => file.includes('.fastpy-')),
      [],
      `no temporary file (interrupted after ${delay} ms)`,
    );
    const state =
      [...after].every(([file, content]) => before.get(file) === content) && after.size === before.size
        ? 'unchanged'
        : 'complete';
    if (state === 'complete')
      t.deepEqual(after, complete, `interrupted after ${delay} ms: neither as it was nor complete`);
    outcomes[state]++;
    rmSync(dir, { recursive: true, force: true });
  }
  t.log(outcomes);
  t.true(outcomes.unchanged > 0, 'some runs were interrupted before writing');
});
