// What fastpy does with a file it generates again. Three versions decide it: the file on disk, the
// output fastpy wrote last time (the base, kept under .fastpy/generated/ for this) and this run's
// output. A file nobody edited is updated; an edited one is kept when fastpy's output did not change,
// merged (three-way, as git does) when both changed apart, and a conflict when they overlap.
import { createHash } from 'node:crypto';
import { diffComm, merge } from 'node-diff3';

/** Where a project keeps the last generated version of each file fastpy manages (commit it). */
export const BASE_DIR = '.fastpy/generated';

/** SHA-256 of a file's text, to tell whether it is still as fastpy wrote it. */
export function checksum(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export type FileAction = 'create' | 'update' | 'unchanged' | 'kept' | 'merged' | 'conflict';

export interface FileVersions {
  /** The file as it is on disk; undefined when there is none. */
  disk?: string;
  /** What fastpy generated last time, when kept. */
  base?: string;
  /** SHA-256 of what fastpy generated last time (.yo-rc.json), for projects without a base. */
  lastChecksum?: string;
  /** This run's output. */
  next: string;
}

export interface SettledFile {
  action: FileAction;
  /** What to write; undefined leaves the file as it is. */
  content?: string;
  /** For a conflict: the file with both sides between conflict markers, as git writes them. */
  marked?: string;
}

/**
 * Decides one file.
 *
 * @example
 * settleFile({ disk: edited, base: lastOutput, next: lastOutput }) // { action: 'kept' }
 */
export function settleFile({ disk, base, lastChecksum, next }: FileVersions): SettledFile {
  if (disk === undefined) return { action: 'create', content: next };
  if (disk === next) return { action: 'unchanged' };
  const last = base !== undefined ? checksum(base) : lastChecksum;
  if (last !== undefined && checksum(disk) === last) return { action: 'update', content: next };
  if (last !== undefined && checksum(next) === last) return { action: 'kept' };
  if (base === undefined) return { action: 'conflict' };
  const merged = mergeThreeWay(disk, base, next);
  return merged.clean ? { action: 'merged', content: merged.text } : { action: 'conflict', marked: merged.text };
}

/**
 * A three-way merge by lines: the owner's changes (`mine`) and fastpy's (`theirs`) since `base`.
 * Where they overlap, both sides are written between git's conflict markers.
 *
 * @example
 * mergeThreeWay('A\nb\nc\n', 'a\nb\nc\n', 'a\nb\nC\n') // { clean: true, text: 'A\nb\nC\n' }
 */
export function mergeThreeWay(mine: string, base: string, theirs: string): { clean: boolean; text: string } {
  const lines = (text: string) => text.split('\n');
  const result = merge(lines(mine), lines(base), lines(theirs), { label: { a: 'yours', b: 'fastpy' } });
  return { clean: !result.conflict, text: result.result.join('\n') };
}

/**
 * The conflicting parts of a marked file, each with a few lines around it, for a terminal.
 *
 * @example
 * conflictExcerpt(settled.marked!) // '  12 | <<<<<<< yours\n  13 | …'
 */
export function conflictExcerpt(marked: string, context = 2): string {
  const lines = marked.split('\n');
  const shown = new Set<number>();
  lines.forEach((line, index) => {
    if (!/^(<{7}|={7}|>{7})/.test(line)) return;
    for (let near = Math.max(0, index - context); near <= Math.min(lines.length - 1, index + context); near++)
      shown.add(near);
  });
  const width = String(lines.length).length;
  const out: string[] = [];
  let previous = -2;
  for (const index of [...shown].sort((a, b) => a - b)) {
    if (index !== previous + 1 && out.length > 0) out.push(`  ${' '.repeat(width)} ⋮`);
    out.push(`  ${String(index + 1).padStart(width)} | ${lines[index]}`);
    previous = index;
  }
  return out.join('\n');
}

/**
 * The lines two versions differ in (`-` the first's, `+` the second's), with a line of context
 * around each change, for a terminal.
 *
 * @example
 * lineDiff('a\nb\n', 'a\nc\n') // '    a\n  - b\n  + c'
 */
export function lineDiff(from: string, to: string, context = 1): string {
  const lines: Array<{ mark: ' ' | '-' | '+'; text: string }> = [];
  for (const part of diffComm(from.split('\n'), to.split('\n'))) {
    if (part.common) lines.push(...part.common.map((text) => ({ mark: ' ' as const, text })));
    else {
      lines.push(...(part.buffer1 ?? []).map((text) => ({ mark: '-' as const, text })));
      lines.push(...(part.buffer2 ?? []).map((text) => ({ mark: '+' as const, text })));
    }
  }
  const near = (index: number) =>
    lines.slice(Math.max(0, index - context), index + context + 1).some((line) => line.mark !== ' ');
  const out: string[] = [];
  let skipped = false;
  lines.forEach((line, index) => {
    if (line.mark === ' ' && !near(index)) {
      if (!skipped && out.length > 0) out.push('    ⋮');
      skipped = true;
      return;
    }
    skipped = false;
    out.push(`  ${line.mark} ${line.text}`);
  });
  return out.join('\n');
}
