// writeAll, the all-or-nothing file commit of every generator: when staging fails partway, nothing
// it staged or created stays behind and no target is touched; when it succeeds, every file is in place.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { MemFsEditorFile } from 'mem-fs-editor';
import { writeAll } from '../../lib/atomic-commit.js';

const file = (path: string, text: string) =>
  ({ path, contents: Buffer.from(text), state: 'modified', stat: null }) as unknown as MemFsEditorFile;

test('a file that cannot be staged undoes the others: no target written, no temp file, no folder left', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'fastpy-atomic-unit-'));
  writeFileSync(join(root, 'kept.ts'), 'before');
  // The name passes the checks, but its staging copy (name + .fastpy-<pid>.tmp) is longer than a file name may be.
  const tooLong = join(root, 'deep', 'x'.repeat(250));
  const error = t.throws(() =>
    writeAll(
      [file(join(root, 'kept.ts'), 'after'), file(join(root, 'new', 'made.ts'), 'new'), file(tooLong, 'never')],
      root,
    ),
  );
  t.regex(error.message, /Nothing was written\.$/);
  t.is(readFileSync(join(root, 'kept.ts'), 'utf8'), 'before');
  t.deepEqual(readdirSync(root), ['kept.ts'], 'no staged file, no folder made for the run');
});

test('all files in place when every one can be written', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'fastpy-atomic-unit-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'old.ts'), 'old');
  writeAll([file(join(root, 'src', 'old.ts'), 'new'), file(join(root, 'src', 'a', 'b.ts'), 'b')], root);
  t.is(readFileSync(join(root, 'src', 'old.ts'), 'utf8'), 'new');
  t.is(readFileSync(join(root, 'src', 'a', 'b.ts'), 'utf8'), 'b');
  t.false(readdirSync(join(root, 'src')).some((name) => name.includes('.fastpy-')));
});
