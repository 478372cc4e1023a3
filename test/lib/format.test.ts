// lib/format.ts: what fastpy writes is formatted as Prettier formats it in the project, and the files
// a new project gets as copies (runtime/, the app's plain templates) are already formatted so.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import * as prettier from 'prettier';
import { formatProblem, formatText, PRETTIER_OPTIONS } from '../../lib/format.js';
import { runtimeSources } from '../../lib/package.js';
import { listFiles } from '../../lib/template-files.js';

const REPO = new URL('../..', import.meta.url).pathname;

test('TypeScript is formatted with the given settings; text Prettier has no parser for is left as it is', async (t) => {
  t.is(await formatText('/p/src/a.ts', 'const a = {b: "x"}', PRETTIER_OPTIONS), "const a = { b: 'x' };\n");
  t.is(await formatText('/p/views/mail/welcome.ejs', '<p><%= name  %></p>', PRETTIER_OPTIONS), '<p><%= name  %></p>');
  t.is(await formatText('/p/.env', 'A=1', PRETTIER_OPTIONS), 'A=1');
});

test("without settings, the project's own Prettier settings are used (and .editorconfig), else a new project's", async (t) => {
  const project = mkdtempSync(join(tmpdir(), 'fastpy-format-'));
  t.is(
    await formatText(join(project, 'a.ts'), 'const a = "x"'),
    "const a = 'x';\n",
    'no settings anywhere: PRETTIER_OPTIONS',
  );
  writeFileSync(join(project, '.prettierrc.json'), JSON.stringify({ semi: false }));
  writeFileSync(join(project, '.editorconfig'), 'root = true\n[*]\nindent_style = tab\n');
  t.is(await formatText(join(project, 'a.ts'), 'function f() { return "x" }'), 'function f() {\n\treturn "x"\n}\n');
});

test('text that does not parse is an error, named in one line', async (t) => {
  const error = await t.throwsAsync(formatText('/p/src/a.ts', 'const = 1', PRETTIER_OPTIONS));
  t.is(formatProblem(error), 'Variable declaration expected. (1:7)');
  t.false(formatProblem(error).includes('\n'));
});

test(".prettierrc.json of this repository is a new project's, and every file a project gets as a copy is formatted by it", async (t) => {
  t.deepEqual(JSON.parse(readFileSync(join(REPO, '.prettierrc.json'), 'utf8')), PRETTIER_OPTIONS);
  const copied = [
    ...runtimeSources().map((file) => join(REPO, 'runtime', file)),
    ...listFiles(join(REPO, 'generators/app/templates'))
      .filter((file) => !file.endsWith('.ejs'))
      .map((file) => join(REPO, 'generators/app/templates', file)),
  ];
  t.true(copied.length > 80);
  const unformatted: string[] = [];
  for (const path of copied) {
    const { inferredParser } = await prettier.getFileInfo(path);
    if (inferredParser && !(await prettier.check(readFileSync(path, 'utf8'), { ...PRETTIER_OPTIONS, filepath: path })))
      unformatted.push(path.slice(REPO.length));
  }
  t.deepEqual(unformatted, [], 'run: npx prettier --write runtime generators/app/templates');
});
