// What fastpy does with a file it generates again, as a pure decision over three versions (the disk,
// the last output, this run's output), and the three-way merge and the excerpts a terminal shows.
import test from 'ava';
import { checksum, conflictExcerpt, lineDiff, mergeThreeWay, settleFile } from '../../lib/generated-files.js';

const BASE = 'a\nb\nc\nd\ne\n';

test('every case of the decision, with the base kept', (t) => {
  t.deepEqual(settleFile({ next: BASE }), { action: 'create', content: BASE });
  t.deepEqual(settleFile({ disk: BASE, base: BASE, next: BASE }), { action: 'unchanged' });
  t.deepEqual(
    settleFile({ disk: BASE, base: BASE, next: 'a\nb\nC\nd\ne\n' }),
    { action: 'update', content: 'a\nb\nC\nd\ne\n' },
    'not edited: updated',
  );
  t.deepEqual(
    settleFile({ disk: 'mine\n', base: BASE, next: BASE }),
    { action: 'kept' },
    "edited, fastpy's output as before: kept",
  );
  t.deepEqual(settleFile({ disk: 'A\nb\nc\nd\ne\n', base: BASE, next: 'a\nb\nc\nd\nE\n' }), {
    action: 'merged',
    content: 'A\nb\nc\nd\nE\n',
  });
  const conflict = settleFile({ disk: 'a\nb\nmine\nd\ne\n', base: BASE, next: 'a\nb\ntheirs\nd\ne\n' });
  t.is(conflict.action, 'conflict');
  t.is(conflict.content, undefined, 'nothing written until decided');
  t.is(conflict.marked, 'a\nb\n<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> fastpy\nd\ne\n');
});

test('without a base (a project from before .fastpy/generated), the stored checksum decides what it can', (t) => {
  const lastChecksum = checksum(BASE);
  t.is(settleFile({ disk: BASE, lastChecksum, next: 'new\n' }).action, 'update');
  t.is(settleFile({ disk: 'mine\n', lastChecksum, next: BASE }).action, 'kept');
  t.deepEqual(
    settleFile({ disk: 'mine\n', lastChecksum, next: 'new\n' }),
    { action: 'conflict' },
    'no base to merge with, no markers',
  );
  t.deepEqual(
    settleFile({ disk: 'mine\n', next: 'new\n' }),
    { action: 'conflict' },
    'nothing known about it: never overwritten silently',
  );
});

test('the merge keeps both sides apart, marks overlaps', (t) => {
  t.deepEqual(mergeThreeWay('A\nb\nc\n', 'a\nb\nc\n', 'a\nb\nC\n'), { clean: true, text: 'A\nb\nC\n' });
  t.false(
    mergeThreeWay('a\nB\nc\n', 'a\nb\nc\n', 'a\nb\nC\n').clean,
    'changes on neighbouring lines overlap, as in git',
  );
  t.deepEqual(
    mergeThreeWay('x\n', 'a\n', 'x\n'),
    { clean: true, text: 'x\n' },
    'the same change on both sides is no conflict',
  );
  t.false(mergeThreeWay('mine\n', 'a\n', 'theirs\n').clean);
});

test('what a terminal shows: the conflicts with their line numbers, the changed lines with context', (t) => {
  const marked = [
    '1',
    '2',
    '3',
    '4',
    '5',
    '<<<<<<< yours',
    'mine',
    '=======',
    'theirs',
    '>>>>>>> fastpy',
    '11',
    '12',
    '13',
    '14',
  ].join('\n');
  t.is(
    conflictExcerpt(marked, 1),
    [
      '   5 | 5',
      '   6 | <<<<<<< yours',
      '   7 | mine',
      '   8 | =======',
      '   9 | theirs',
      '  10 | >>>>>>> fastpy',
      '  11 | 11',
    ].join('\n'),
  );
  t.is(
    lineDiff('a\nb\nc\nd\ne\nf\ng\nh', 'a\nb\nc\nd\nE\nf\ng\nh'),
    ['    d', '  - e', '  + E', '    f', '    ⋮'].join('\n'),
  );
  t.is(lineDiff('a\nb', 'a\nc'), '    a\n  - b\n  + c');
});
