import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { LocalDisk } from '../../runtime/storage/local-disk.js';
import { BadRequestException } from '../../runtime/utils/exceptions.js';

test('files are written, read, checked and deleted under the root', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'fastpy-disk-'));
  const disk = new LocalDisk(root);
  await disk.put('uploads/a/b.txt', 'hello');
  t.is(readFileSync(join(root, 'uploads/a/b.txt'), 'utf8'), 'hello');
  t.is((await disk.get('uploads/a/b.txt')).toString(), 'hello');
  t.true(await disk.exists('uploads/a/b.txt'));
  await disk.delete('uploads/a/b.txt');
  t.false(await disk.exists('uploads/a/b.txt'));
});

test('no path can leave the root', (t) => {
  const disk = new LocalDisk(mkdtempSync(join(tmpdir(), 'fastpy-disk-')));
  for (const path of ['../secret', 'a/../../secret', '/etc/passwd', '', 'a/\0b', '.']) {
    t.throws(() => disk.path(path), { instanceOf: BadRequestException }, JSON.stringify(path));
  }
  t.notThrows(() => disk.path('a/./b/../c.txt'));
  t.throws(() => new LocalDisk('relative/root'), { message: /absolute path/ });
});
