// What a queue driver (drivers/: sync, memory, database, redis) does, and what they share: one
// attempt of a payload and what follows from it, a failed job's record, a polling worker loop.
import { randomUUID } from 'node:crypto';
import { attempt, backoffSeconds, fromPayload, type FailedJob, type Job, type JobPayload } from './job.js';

/** What a worker needs from a driver. */
export interface QueueDriver {
  push(payload: JobPayload, delaySeconds: number): Promise<void>;
  /** Runs jobs from these queues until stopped; resolves once the current job is done. */
  work(queues: string[], options: WorkOptions): Worker;
  failed(): Promise<FailedJob[]>;
  /** Jobs waiting (or delayed) on a queue. */
  size(queue: string): Promise<number>;
  close(): Promise<void>;
}

export interface WorkOptions {
  /** Milliseconds between polls when a queue is empty (database driver). */
  sleepMs?: number;
  /** A job (or, with the redis driver, the connection) could not be processed; `payload` is the job's when known. */
  onError?: (error: Error, payload: JobPayload | undefined) => void;
  /** Told of each job that failed for good (after its last try). */
  onFailed?: (failed: FailedJob) => void;
}

export interface Worker {
  /** Stops taking jobs and resolves when the running one has finished. */
  stop(): Promise<void>;
  /** Resolves when the worker has stopped. */
  readonly done: Promise<void>;
}

/** What became of one attempt: done (with the next job of its chain), to retry, or failed for good. */
export type Outcome =
  | { kind: 'done'; next: JobPayload | undefined }
  | { kind: 'retry'; delaySeconds: number }
  | { kind: 'failed'; error: Error; job: Job };

/** Runs one attempt of a payload; the driver stores what follows from the outcome. */
export async function runPayload(payload: JobPayload, attempts: number): Promise<Outcome> {
  const job = fromPayload(payload);
  try {
    await attempt(job);
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    return attempts < job.tries
      ? { kind: 'retry', delaySeconds: backoffSeconds(job, attempts) }
      : { kind: 'failed', error, job };
  }
  const [next, ...rest] = payload.chain;
  return { kind: 'done', next: next ? { ...next, id: randomUUID(), chain: rest } : undefined };
}

export const failure = (payload: JobPayload, error: Error): FailedJob => ({
  id: payload.id,
  queue: payload.queue,
  job: payload.job,
  data: payload.data,
  error: `${error.name}: ${error.message}`,
  failedAt: new Date().toISOString(),
});

/** Polls `step` (true: it ran a job, go on at once; false: nothing to do, sleep) until stopped. */
export function loop(
  step: () => Promise<boolean>,
  sleepMs: number,
  options: { unref?: boolean; onStop?: () => void } = {},
): Worker {
  let stopping = false;
  let wake: (() => void) | undefined;
  const done = (async () => {
    while (!stopping) {
      const ran = await step();
      if (!ran && !stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, sleepMs);
          if (options.unref) timer.unref();
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
    options.onStop?.();
  })();
  return {
    done,
    async stop() {
      stopping = true;
      wake?.();
      await done;
    },
  };
}
