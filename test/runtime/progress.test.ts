// Progress lines for long tasks: rewritten in place on a terminal, a few lines otherwise, none when quick.
import test from 'ava';
import { progress, QUIET_BELOW } from '../../runtime/utils/progress.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

test('on a terminal: one line, rewritten at most every 100 ms, finished with a newline', (t) => {
  const out = stream(true);
  let clock = 0;
  const bar = progress('Seeding posts', 1000, out, () => clock);
  for (let i = 0; i < 1000; i++) {
    clock += 1; // 1 ms per record
    bar.tick();
  }
  bar.done();
  t.true(out.written.length >= 9 && out.written.length <= 13, `${out.written.length} writes`);
  t.true(out.written.every((text) => text.startsWith('\r')));
  t.is(out.written.at(-1), '\rSeeding posts: 1000/1000 (100%)\n');
  t.is(out.written[0], '\rSeeding posts: 1/1000 (0%)');
});

test('without a terminal: a line at each quarter; nothing for small counts', (t) => {
  const out = stream(false);
  const bar = progress('Seeding users', 400, out);
  for (let i = 0; i < 400; i++) bar.tick();
  bar.done();
  t.deepEqual(out.written, [
    'Seeding users: 100/400 (25%)\n',
    'Seeding users: 200/400 (50%)\n',
    'Seeding users: 300/400 (75%)\n',
    'Seeding users: 400/400 (100%)\n',
  ]);
  const quiet = stream(true);
  const small = progress('Seeding tags', QUIET_BELOW - 1, quiet);
  for (let i = 0; i < QUIET_BELOW - 1; i++) small.tick();
  small.done();
  t.deepEqual(quiet.written, []);
});
