// Progress of a long task (seeding thousands of rows) on stderr: one line rewritten in place on a
// terminal, a line every quarter otherwise (and nothing at all for small counts).

export interface Progress {
  /** One more unit done. */
  tick(count?: number): void;
  /** Finishes the line. */
  done(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Below this many units, a task is quick enough to report nothing until it ends. */
export const QUIET_BELOW = 200;

/**
 * @example
 * const bar = progress('Seeding posts', 5000);
 * for (…) { await create(); bar.tick(); }
 * bar.done();
 */
export function progress(
  label: string,
  total: number,
  stream: ProgressStream = process.stderr,
  now: () => number = Date.now,
): Progress {
  let finished = 0;
  let shownAt = Number.NEGATIVE_INFINITY;
  let quarter = 0;
  const line = () => `${label}: ${finished}/${total} (${total === 0 ? 100 : Math.floor((finished / total) * 100)}%)`;
  return {
    tick(count = 1) {
      finished = Math.min(total, finished + count);
      if (total < QUIET_BELOW) return;
      if (stream.isTTY) {
        if (now() - shownAt < 100 && finished < total) return;
        shownAt = now();
        stream.write(`\r${line()}`);
      } else if (Math.floor((finished / total) * 4) > quarter) {
        quarter = Math.floor((finished / total) * 4);
        if (finished < total) stream.write(`${line()}\n`);
      }
    },
    done() {
      if (total < QUIET_BELOW) return;
      stream.write(stream.isTTY ? `\r${line()}\n` : `${line()}\n`);
    },
  };
}
