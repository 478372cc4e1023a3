// How a fastpy generator puts its files on disk: all of them or none. Yeoman's own commit writes file
// by file, so a destination it cannot write, or an interrupt, leaves a project half-written. Here the
// conflicts are settled first (Yeoman's conflicter: --force, .yo-resolve, questions in a terminal),
// every destination is checked, each file is written beside its target, and only then are they all
// renamed into place — with SIGINT/SIGTERM held until the renames are done.
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { Transform } from 'node:stream';
import {
  createConflicterTransform,
  createYoResolveTransform,
  forceYoFiles,
  type ConflicterOptions,
} from '@yeoman/conflicter';
import type { InputOutputAdapter } from '@yeoman/types';
import type { MemFsEditorFile } from 'mem-fs-editor';
import {
  clearFileState,
  isFileNew,
  isFilePending,
  isFileStateDeleted,
  isFileStateModified,
  setCommittedFile,
} from 'mem-fs-editor/state';
import { UsageError } from './questions.js';

interface CommitEnvironment {
  adapter: InputOutputAdapter;
  conflicterOptions?: ConflicterOptions;
  sharedFs: {
    pipeline(options: { filter: (file: MemFsEditorFile) => boolean }, ...transforms: Transform[]): Promise<void>;
  };
  cwd: string;
}

/** Why a file cannot be written there, if it cannot (folders named relative to `root`). */
export function unwritable(path: string, root: string): string | undefined {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) return 'a directory is in the way';
    try {
      accessSync(path, constants.W_OK);
    } catch {
      return 'the file is read-only';
    }
    return undefined;
  }
  let parent = dirname(path);
  while (!existsSync(parent)) parent = dirname(parent);
  const name = relative(root, parent) || '.';
  if (!statSync(parent).isDirectory()) return `${name} is a file, not a folder`;
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    return `${name} is not writable`;
  }
  return undefined;
}

/** Stops the run, naming every destination that cannot be written and why, before anything is written. */
export function assertWritable(paths: readonly string[], root: string): void {
  const problems = paths
    .map((path) => [path, unwritable(path, root)] as const)
    .filter(([, problem]) => problem !== undefined);
  if (problems.length === 0) return;
  const list = problems.map(([path, problem]) => `${relative(root, path) || path} (${problem})`).join(', ');
  throw new UsageError(
    `Cannot write ${list}. Nothing was written: move what is in the way (or make it writable) and run the command again.`,
    'E_UNWRITABLE',
  );
}

/** Runs `work` with SIGINT and SIGTERM held; a signal that came meanwhile ends the process afterwards. */
function withSignalsHeld(work: () => void): void {
  let held: NodeJS.Signals | undefined;
  const hold = (signal: NodeJS.Signals) => {
    held = signal;
  };
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  try {
    work();
  } finally {
    process.removeListener('SIGINT', hold);
    process.removeListener('SIGTERM', hold);
  }
  if (held) {
    process.stderr.write(
      `\nInterrupted (${held}) while the files were being put in place: they were all written first, so the project is complete.\n`,
    );
    process.exit(130);
  }
}

/** Writes the settled files: every one checked, staged beside its target, then all renamed into place. */
export function writeAll(files: readonly MemFsEditorFile[], cwd: string): void {
  const writes = files.filter((file) => isFileStateModified(file));
  const deletes = files.filter((file) => isFileStateDeleted(file) && !isFileNew(file) && existsSync(file.path));
  assertWritable(
    writes.map((file) => file.path),
    cwd,
  );
  const staged: Array<{ temp: string; target: string }> = [];
  const createdDirs: string[] = [];
  const stage = () => {
    try {
      for (const file of writes) {
        const dir = dirname(file.path);
        if (!existsSync(dir)) {
          let top = dir;
          while (!existsSync(dirname(top))) top = dirname(top);
          mkdirSync(dir, { recursive: true });
          createdDirs.push(top);
        }
        const temp = `${file.path}.fastpy-${process.pid}.tmp`;
        writeFileSync(temp, file.contents ?? '', { mode: file.stat?.mode ?? undefined });
        staged.push({ temp, target: file.path });
      }
    } catch (error) {
      for (const { temp } of staged) rmSync(temp, { force: true });
      for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
      throw new UsageError(
        `Could not write the files (${(error as Error).message}). Nothing was written.`,
        'E_UNWRITABLE',
      );
    }
  };
  // Signals are held from the first staged file on: an interrupt while staging would otherwise kill
  // the process with the temporary files left behind (held, the run completes, as once renaming).
  withSignalsHeld(() => {
    stage();
    for (const { temp, target } of staged) renameSync(temp, target);
    for (const file of deletes) rmSync(file.path, { recursive: true });
  });
  for (const file of [...writes, ...deletes]) setCommittedFile(file);
}

/** Yeoman's per-file status lines (create, force, skip, identical, conflict). */
const STATUS_LINES = new Set(['create', 'force', 'skip', 'identical', 'conflict']);

/** The adapter without the conflicter's status lines, for generators that print their own summary of the files. */
function withoutStatusLines(adapter: InputOutputAdapter): InputOutputAdapter {
  const log = new Proxy(adapter.log, {
    get: (target, key, receiver) =>
      typeof key === 'string' && STATUS_LINES.has(key) ? () => log : (Reflect.get(target, key, receiver) as unknown),
  });
  return new Proxy(adapter, {
    get: (target, key, receiver) => (key === 'log' ? log : (Reflect.get(target, key, receiver) as unknown)),
  });
}

/**
 * The commit task of every fastpy generator (its `customCommitTask` feature).
 *
 * @example
 * super(args, options, { customCommitTask: () => commitAtomically(this.env) });
 */
export async function commitAtomically(env: CommitEnvironment, options: { quiet?: boolean } = {}): Promise<void> {
  const settled: MemFsEditorFile[] = [];
  const collect = new Transform({
    objectMode: true,
    transform(file: MemFsEditorFile, _encoding, callback) {
      settled.push(file);
      callback();
    },
    flush(callback) {
      try {
        writeAll(settled, env.cwd);
        for (const file of settled) {
          clearFileState(file);
          this.push(file);
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  await env.sharedFs.pipeline(
    { filter: (file) => isFilePending(file) || file.path.endsWith('.yo-resolve') },
    createYoResolveTransform() as unknown as Transform,
    forceYoFiles() as unknown as Transform,
    createConflicterTransform(
      options.quiet ? withoutStatusLines(env.adapter) : env.adapter,
      env.conflicterOptions,
    ) as unknown as Transform,
    collect,
  );
}
