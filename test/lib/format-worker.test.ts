// lib/format.ts's worker thread (startFormatter, as `fastpy new` and `fastpy make:*` use it): the same
// output as formatting in this thread, errors named the same way, and this thread's formatting when
// the worker cannot run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import {
  formatHere,
  formatProblem,
  formatTexts,
  FormatWorker,
  PRETTIER_OPTIONS,
  startFormatter,
} from '../../lib/format.js';

const requests = [
  { path: '/p/src/a.ts', text: 'const a = {b: "x"}', options: PRETTIER_OPTIONS },
  { path: '/p/README.md', text: '# Title\n* one\n* two', options: PRETTIER_OPTIONS },
  { path: '/p/views/mail/welcome.ejs', text: '<p><%= name  %></p>', options: PRETTIER_OPTIONS },
  { path: '/p/src/broken.ts', text: 'const = 1', options: PRETTIER_OPTIONS },
];

const shown = (results: Awaited<ReturnType<typeof formatHere>>) =>
  results.map((result) => ('error' in result ? { error: formatProblem(result.error) } : result));

test.serial(
  'formatted in the worker exactly as in this thread, a file that does not parse named the same way',
  async (t) => {
    const here = shown(await formatHere(requests));
    t.deepEqual(here[0], { text: "const a = { b: 'x' };\n" });
    t.deepEqual(here[3], { error: 'Variable declaration expected. (1:7)' });
    const worker = new FormatWorker();
    t.deepEqual(shown(await worker.format(requests)), here);
    t.true(worker.running, 'formatted by the worker thread, not by this one after the worker failed');
    startFormatter(); // formatTexts' own worker
    t.deepEqual(shown(await formatTexts(requests)), here);
  },
);

test.serial("the worker finds the project's own Prettier settings, as this thread does", async (t) => {
  startFormatter();
  const project = mkdtempSync(join(tmpdir(), 'fastpy-format-worker-'));
  writeFileSync(join(project, '.prettierrc.json'), JSON.stringify({ semi: false, singleQuote: true }));
  t.deepEqual(await formatTexts([{ path: join(project, 'a.ts'), text: 'const a = "x";' }]), [
    { text: "const a = 'x'\n" },
  ]);
});

test('a worker that cannot start leaves the formatting to this thread, with the same output', async (t) => {
  const worker = new FormatWorker(new URL('./no-such-worker.js', import.meta.url));
  t.deepEqual(shown(await worker.format(requests)), shown(await formatHere(requests)));
  t.false(worker.running);
  t.deepEqual(shown(await worker.format(requests.slice(0, 1))), [{ text: "const a = { b: 'x' };\n" }]);
});

test('a started formatter never keeps the process alive: one that formats nothing, or is done, exits', (t) => {
  // The compiled module (npm run build), in plain Node as the fastpy command runs it: under tsx the
  // thread's handles are not what they are there.
  const format = new URL('../../lib/format.js', import.meta.url).href;
  for (const script of [
    `import(${JSON.stringify(format)}).then((m) => m.startFormatter())`,
    `import(${JSON.stringify(format)}).then(async (m) => { m.startFormatter(); console.log(await m.formatText('/p/a.ts', 'a =1', m.PRETTIER_OPTIONS)); })`,
  ]) {
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    t.is(run.signal, null, `${script} did not exit by itself`);
    t.is(run.status, 0, run.stderr);
  }
});
