// Jobs: a class with handle(), pushed as its registered name and its own properties, rebuilt and
// run by a worker — one attempt bounded by the job's timeout, its backoff between tries.
import { FastpyError } from '../../utils/errors.js';
import { ClassRegistry } from '../../utils/class-registry.js';

export abstract class Job {
  /** Attempts before the job counts as failed. */
  tries = 1;
  /** Seconds before a retry: one number, or one per retry (the last repeats). */
  backoff: number | number[] = 0;
  /** Seconds an attempt may take. */
  timeout = 60;

  abstract handle(): unknown;

  /** Called once, after the last attempt failed. */
  failed?(error: Error): unknown;
}

export type JobClass = (new (...args: never[]) => Job) & { jobName?: string };

export interface JobPayload {
  id: string;
  job: string;
  data: Record<string, unknown>;
  /** Jobs to push, in order, once this one succeeds. */
  chain: Array<Omit<JobPayload, 'chain' | 'id'>>;
  queue: string;
}

export interface FailedJob {
  id: string;
  queue: string;
  job: string;
  data: Record<string, unknown>;
  error: string;
  failedAt: string;
}

export class QueueError extends FastpyError {
  constructor(message: string) {
    super('E_QUEUE', message);
  }
}

// --- jobs <-> payloads --------------------------------------------------------------------------

const registry = new ClassRegistry<JobClass>(
  'job',
  (type) => type.jobName ?? type.name,
  'give one a static jobName',
  (message) => new QueueError(message),
);
export const nameOf = registry.nameOf;

/** Makes job classes known to workers (a worker process imports src/jobs/index.ts, which registers them). */
export function registerJobs(...types: JobClass[]): void {
  registry.register(...types);
}

export function toPayload(job: Job, queue: string): Omit<JobPayload, 'chain' | 'id'> {
  if (!(job instanceof Job)) throw new TypeError('Queue: push a Job (a class extending Job, with handle())');
  const type = job.constructor as JobClass;
  registerJobs(type);
  const data = JSON.parse(JSON.stringify({ ...job })) as Record<string, unknown>;
  return { job: nameOf(type), data, queue };
}

export function fromPayload(payload: Pick<JobPayload, 'job' | 'data'>): Job {
  const type = registry.get(payload.job);
  if (!type)
    throw new QueueError(
      `no job class named ${payload.job} is registered in this process: add it to src/jobs/index.ts`,
    );
  return Object.assign(Object.create(type.prototype as object) as Job, payload.data as object);
}

export function backoffSeconds(job: Job, attempt: number): number {
  const backoff = Array.isArray(job.backoff)
    ? (job.backoff[Math.min(attempt - 1, job.backoff.length - 1)] ?? 0)
    : job.backoff;
  return Math.max(0, backoff);
}

/** One attempt, bounded by the job's timeout. */
export async function attempt(job: Job): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(() => job.handle()),
      new Promise((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new QueueError(`${(job.constructor as JobClass).name} timed out after ${job.timeout} s`)),
          job.timeout * 1000,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function reportFailure(job: Job, error: Error): Promise<void> {
  try {
    await job.failed?.(error);
  } catch {
    // a failing failed() must not hide the job's own error
  }
}
