// Queue and Job: work done later, elsewhere. A Job is a class with handle(); pushing one stores its
// class name and its own properties, and a worker rebuilds it and runs it — with tries, backoff, a
// timeout, failed jobs recorded (and the job's failed() called), delays (`later`) that never block
// the caller, chains that run in order, and named queues. Drivers: sync (runs at once), memory
// (in this process), database (Knex: jobs and failed_jobs tables) and redis (BullMQ).
import { FastpyError } from '../utils/errors.js';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ClassRegistry } from '../utils/class-registry.js';
import { importOptional } from '../utils/optional-package.js';
import { libsDatabase, libsRedis, libsSettings, onLibsClose, onLibsConfigured } from './config.js';

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

type JobClass = (new (...args: never[]) => Job) & { jobName?: string };

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
const nameOf = registry.nameOf;

/** Makes job classes known to workers (a worker process imports src/jobs/index.ts, which registers them). */
export function registerJobs(...types: JobClass[]): void {
  registry.register(...types);
}

function toPayload(job: Job, queue: string): Omit<JobPayload, 'chain' | 'id'> {
  if (!(job instanceof Job)) throw new TypeError('Queue: push a Job (a class extending Job, with handle())');
  const type = job.constructor as JobClass;
  registerJobs(type);
  const data = JSON.parse(JSON.stringify({ ...job })) as Record<string, unknown>;
  return { job: nameOf(type), data, queue };
}

function fromPayload(payload: Pick<JobPayload, 'job' | 'data'>): Job {
  const type = registry.get(payload.job);
  if (!type)
    throw new QueueError(
      `no job class named ${payload.job} is registered in this process: add it to src/jobs/index.ts`,
    );
  return Object.assign(Object.create(type.prototype as object) as Job, payload.data as object);
}

function backoffSeconds(job: Job, attempt: number): number {
  const backoff = Array.isArray(job.backoff)
    ? (job.backoff[Math.min(attempt - 1, job.backoff.length - 1)] ?? 0)
    : job.backoff;
  return Math.max(0, backoff);
}

/** One attempt, bounded by the job's timeout. */
async function attempt(job: Job): Promise<void> {
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

async function reportFailure(job: Job, error: Error): Promise<void> {
  try {
    await job.failed?.(error);
  } catch {
    // a failing failed() must not hide the job's own error
  }
}

// --- drivers --------------------------------------------------------------------------------------

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
type Outcome =
  | { kind: 'done'; next: JobPayload | undefined }
  | { kind: 'retry'; delaySeconds: number }
  | { kind: 'failed'; error: Error; job: Job };

/** Runs one attempt of a payload; the driver stores what follows from the outcome. */
async function runPayload(payload: JobPayload, attempts: number): Promise<Outcome> {
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

const failure = (payload: JobPayload, error: Error): FailedJob => ({
  id: payload.id,
  queue: payload.queue,
  job: payload.job,
  data: payload.data,
  error: `${error.name}: ${error.message}`,
  failedAt: new Date().toISOString(),
});

/** Runs jobs at once, in the caller (retries included); a failed job's error reaches the caller. */
class SyncDriver implements QueueDriver {
  readonly #failed: FailedJob[] = [];

  async push(payload: JobPayload): Promise<void> {
    let current: JobPayload | undefined = payload;
    let attempts = 0;
    while (current) {
      attempts += 1;
      const outcome = await runPayload(current, attempts);
      if (outcome.kind === 'retry') {
        await new Promise((resolve) => setTimeout(resolve, outcome.delaySeconds * 1000));
        continue;
      }
      if (outcome.kind === 'failed') {
        this.#failed.push(failure(current, outcome.error));
        await reportFailure(outcome.job, outcome.error);
        throw outcome.error;
      }
      current = outcome.next;
      attempts = 0;
    }
  }

  work(): Worker {
    return { stop: async () => {}, done: Promise.resolve() };
  }

  async failed() {
    return [...this.#failed];
  }

  async size() {
    return 0;
  }

  async close() {}
}

interface StoredJob {
  payload: JobPayload;
  attempts: number;
  availableAt: number;
}

/** Jobs in this process's memory, run by a worker in this process (started on the first push). */
class MemoryDriver implements QueueDriver {
  readonly #jobs: StoredJob[] = [];
  readonly #failed: FailedJob[] = [];
  #auto: Worker | undefined;

  async push(payload: JobPayload, delaySeconds: number): Promise<void> {
    this.#jobs.push({ payload, attempts: 0, availableAt: Date.now() + delaySeconds * 1000 });
    this.#auto ??= this.work(undefined, { sleepMs: 10 });
  }

  #reserve(queues: string[] | undefined): StoredJob | undefined {
    const index = this.#jobs.findIndex(
      (entry) => entry.availableAt <= Date.now() && (!queues || queues.includes(entry.payload.queue)),
    );
    return index === -1 ? undefined : this.#jobs.splice(index, 1)[0];
  }

  work(queues: string[] | undefined, options: WorkOptions = {}): Worker {
    return loop(
      async () => {
        const entry = this.#reserve(queues);
        if (!entry) return false;
        entry.attempts += 1;
        try {
          const outcome = await runPayload(entry.payload, entry.attempts);
          if (outcome.kind === 'retry')
            this.#jobs.push({ ...entry, availableAt: Date.now() + outcome.delaySeconds * 1000 });
          else if (outcome.kind === 'failed') {
            const record = failure(entry.payload, outcome.error);
            this.#failed.push(record);
            options.onFailed?.(record);
            await reportFailure(outcome.job, outcome.error);
          } else if (outcome.next) await this.push(outcome.next, 0);
        } catch (error) {
          options.onError?.(error as Error, entry.payload);
        }
        return true;
      },
      options.sleepMs ?? 10,
      // The worker started by push() must not keep the process alive on its own.
      { unref: queues === undefined, onStop: () => (this.#auto = undefined) },
    );
  }

  async failed() {
    return [...this.#failed];
  }

  async size(queue: string) {
    return this.#jobs.filter((entry) => entry.payload.queue === queue).length;
  }

  async close() {
    await this.#auto?.stop();
  }
}

/** Polls `step` (true: it ran a job, go on at once; false: nothing to do, sleep) until stopped. */
function loop(
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

/** Jobs in the database (the jobs table), reserved one at a time so several workers can share it. */
class DatabaseDriver implements QueueDriver {
  constructor(private readonly db: () => Knex) {}

  #row(payload: JobPayload, delaySeconds: number) {
    return {
      id: payload.id,
      queue: payload.queue,
      payload: JSON.stringify(payload),
      attempts: 0,
      available_at: Date.now() + delaySeconds * 1000,
      reserved_at: null,
      created_at: Date.now(),
    };
  }

  async push(payload: JobPayload, delaySeconds: number): Promise<void> {
    await this.db()('jobs').insert(this.#row(payload, delaySeconds));
  }

  /** The next available job, marked reserved; a reservation older than `staleMs` (a worker that died) is taken over. */
  async #reserve(
    queues: string[],
    staleMs: number,
  ): Promise<{ id: string; payload: JobPayload; attempts: number } | undefined> {
    const db = this.db();
    for (let tries = 0; tries < 5; tries += 1) {
      const now = Date.now();
      const row = await db<{ id: string; payload: string; attempts: number; reserved_at: number | null }>('jobs')
        .whereIn('queue', queues)
        .where('available_at', '<=', now)
        .where((query) => {
          // `void`: a builder is a thenable, and this one is a condition, not a query to run.
          void query.whereNull('reserved_at').orWhere('reserved_at', '<', now - staleMs);
        })
        .orderBy('available_at')
        .first('id', 'payload', 'attempts', 'reserved_at');
      if (!row) return undefined;
      // Only one worker wins the row: the update matches only while it is as we read it.
      const taken = await db('jobs')
        .where({ id: row.id })
        .where((query) => {
          void (row.reserved_at === null
            ? query.whereNull('reserved_at')
            : query.where('reserved_at', row.reserved_at));
        })
        .update({ reserved_at: now, attempts: Number(row.attempts) + 1 });
      if (taken === 1)
        return { id: row.id, payload: JSON.parse(row.payload) as JobPayload, attempts: Number(row.attempts) + 1 };
    }
    return undefined;
  }

  work(queues: string[], options: WorkOptions = {}): Worker {
    return loop(async () => {
      const entry = await this.#reserve(queues, 15 * 60 * 1000);
      if (!entry) return false;
      const db = this.db();
      try {
        const outcome = await runPayload(entry.payload, entry.attempts);
        if (outcome.kind === 'retry') {
          await db('jobs')
            .where({ id: entry.id })
            .update({ reserved_at: null, available_at: Date.now() + outcome.delaySeconds * 1000 });
        } else if (outcome.kind === 'failed') {
          const record = failure(entry.payload, outcome.error);
          await db.transaction(async (trx) => {
            await trx('failed_jobs').insert({
              id: record.id,
              queue: record.queue,
              payload: JSON.stringify(entry.payload),
              error: record.error,
              failed_at: Date.now(),
            });
            await trx('jobs').where({ id: entry.id }).delete();
          });
          options.onFailed?.(record);
          await reportFailure(outcome.job, outcome.error);
        } else {
          await db.transaction(async (trx) => {
            await trx('jobs').where({ id: entry.id }).delete();
            if (outcome.next) await trx('jobs').insert(this.#row(outcome.next, 0));
          });
        }
      } catch (error) {
        options.onError?.(error as Error, entry.payload);
      }
      return true;
    }, options.sleepMs ?? 1000);
  }

  async failed(): Promise<FailedJob[]> {
    const rows = (await this.db()('failed_jobs').orderBy('failed_at')) as Array<{
      id: string;
      queue: string;
      payload: string;
      error: string;
      failed_at: number;
    }>;
    return rows.map((row) => {
      const payload = JSON.parse(row.payload) as JobPayload;
      return {
        id: row.id,
        queue: row.queue,
        job: payload.job,
        data: payload.data,
        error: row.error,
        failedAt: new Date(Number(row.failed_at)).toISOString(),
      };
    });
  }

  async size(queue: string) {
    const [row] = await this.db()('jobs').where({ queue }).count<Array<{ count: number | string }>>({ count: '*' });
    return Number(row?.count ?? 0);
  }

  async close() {}
}

/** Jobs in Redis, through BullMQ (retries, delays and failed jobs kept by BullMQ itself). */
class RedisDriver implements QueueDriver {
  #queues = new Map<string, import('bullmq').Queue>();
  #bullmq: Promise<typeof import('bullmq')> | undefined;

  constructor(private readonly prefix: string) {}

  #load() {
    return (this.#bullmq ??= importOptional('redis', 'QUEUE_DRIVER=redis', () => import('bullmq')));
  }

  /** Connection options from the facades' Redis (BullMQ opens, and closes, its own connections). */
  #connection(): import('bullmq').ConnectionOptions {
    // ioredis' options type and BullMQ's differ only in which ioredis release declared them.
    return {
      ...libsRedis().options,
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      lazyConnect: false,
    } as never;
  }

  async #queue(name: string) {
    const { Queue } = await this.#load();
    let queue = this.#queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.#connection(), prefix: this.prefix });
      this.#queues.set(name, queue);
    }
    return queue;
  }

  async push(payload: JobPayload, delaySeconds: number): Promise<void> {
    const job = fromPayload(payload);
    const backoff = Array.isArray(job.backoff) ? (job.backoff[0] ?? 0) : job.backoff;
    await (
      await this.#queue(payload.queue)
    ).add(payload.job, payload, {
      jobId: payload.id,
      delay: delaySeconds * 1000,
      attempts: job.tries,
      backoff: backoff > 0 ? { type: 'fixed', delay: backoff * 1000 } : undefined,
      removeOnComplete: true,
      removeOnFail: false,
    });
  }

  work(queues: string[], options: WorkOptions = {}): Worker {
    const started = this.#load().then(({ Worker: BullWorker }) =>
      queues.map((name) =>
        new BullWorker(
          name,
          async (bullJob) => {
            const payload = bullJob.data as JobPayload;
            const job = fromPayload(payload);
            try {
              await attempt(job);
            } catch (error) {
              if (bullJob.attemptsMade + 1 >= job.tries) {
                options.onFailed?.(failure(payload, error as Error));
                await reportFailure(job, error as Error);
              }
              throw error;
            }
            const [next, ...rest] = payload.chain;
            if (next) await this.push({ ...next, id: randomUUID(), chain: rest }, 0);
          },
          { connection: this.#connection(), prefix: this.prefix, concurrency: 1 },
        ).on('error', (error) => options.onError?.(error, undefined)),
      ),
    );
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    return {
      done,
      async stop() {
        const workers = await started;
        await Promise.all(workers.map((worker) => worker.close()));
        resolveDone();
      },
    };
  }

  async failed(): Promise<FailedJob[]> {
    const all: FailedJob[] = [];
    for (const queue of this.#queues.values()) {
      for (const job of await queue.getFailed()) {
        const payload = job.data as JobPayload;
        all.push({
          id: payload.id,
          queue: payload.queue,
          job: payload.job,
          data: payload.data,
          error: job.failedReason ?? '',
          failedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
        });
      }
    }
    return all;
  }

  async size(name: string) {
    return (await this.#queue(name)).count();
  }

  async close() {
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
    this.#queues.clear();
  }
}

export type QueueDriverName = 'sync' | 'memory' | 'database' | 'redis';
export const QUEUE_DRIVERS: readonly QueueDriverName[] = ['sync', 'memory', 'database', 'redis'];

// --- the facade -----------------------------------------------------------------------------------

export class PendingDispatch {
  constructor(
    private readonly manager: QueueManager,
    private readonly queueName: string,
    private readonly driverName: QueueDriverName | undefined,
  ) {}

  /** Runs the job as soon as a worker takes it; returns its id. */
  async push(job: Job): Promise<string> {
    const payload: JobPayload = { ...toPayload(job, this.queueName), id: randomUUID(), chain: [] };
    await this.manager.driver(this.driverName).push(payload, 0);
    return payload.id;
  }

  /** Runs the job after `seconds`; the caller does not wait. */
  async later(seconds: number, job: Job): Promise<string> {
    if (!(seconds >= 0)) throw new TypeError('Queue.later(): seconds must be 0 or more');
    const payload: JobPayload = { ...toPayload(job, this.queueName), id: randomUUID(), chain: [] };
    await this.manager.driver(this.driverName).push(payload, seconds);
    return payload.id;
  }

  /** Runs the jobs one after another: each starts when the one before it succeeded; a failure stops the chain. */
  async chain(jobs: readonly Job[]): Promise<string> {
    if (jobs.length === 0) throw new TypeError('Queue.chain(): give at least one job');
    const [first, ...rest] = jobs.map((job) => toPayload(job, this.queueName));
    const payload: JobPayload = { ...first!, id: randomUUID(), chain: rest };
    await this.manager.driver(this.driverName).push(payload, 0);
    return payload.id;
  }
}

export class QueueManager {
  #drivers = new Map<QueueDriverName, QueueDriver>();

  constructor() {
    onLibsConfigured(() => {
      const drivers = [...this.#drivers.values()];
      this.#drivers.clear();
      for (const driver of drivers) void driver.close();
    });
    onLibsClose(() => this.close());
  }

  /** The driver (QUEUE_DRIVER by default). */
  driver(name: string = libsSettings().queue.driver): QueueDriver {
    if (!(QUEUE_DRIVERS as readonly string[]).includes(name))
      throw new TypeError(`Queue: unknown driver "${name}"; drivers: ${QUEUE_DRIVERS.join(', ')}`);
    let driver = this.#drivers.get(name as QueueDriverName);
    if (!driver) {
      if (name === 'sync') driver = new SyncDriver();
      else if (name === 'memory') driver = new MemoryDriver();
      else if (name === 'database') driver = new DatabaseDriver(libsDatabase);
      else driver = new RedisDriver(`${libsSettings().appName}:queue`);
      this.#drivers.set(name as QueueDriverName, driver);
    }
    return driver;
  }

  /** A named queue: `Queue.on('emails').push(job)`. */
  on(queue: string): PendingDispatch {
    if (!/^[\w.-]+$/.test(queue))
      throw new TypeError(`Queue.on(): "${queue}" is not a queue name (letters, digits, _, . and -)`);
    return new PendingDispatch(this, queue, undefined);
  }

  /** Another driver: `Queue.via('redis').push(job)`. */
  via(driver: QueueDriverName, queue = 'default'): PendingDispatch {
    this.driver(driver);
    return new PendingDispatch(this, queue, driver);
  }

  push(job: Job): Promise<string> {
    return this.on('default').push(job);
  }

  later(seconds: number, job: Job): Promise<string> {
    return this.on('default').later(seconds, job);
  }

  chain(jobs: readonly Job[]): Promise<string> {
    return this.on('default').chain(jobs);
  }

  /** A worker on these queues (the worker process: src/worker.ts). */
  work(queues: string[] = ['default'], options: WorkOptions = {}, driver?: QueueDriverName): Worker {
    return this.driver(driver).work(queues, options);
  }

  failed(driver?: QueueDriverName): Promise<FailedJob[]> {
    return this.driver(driver).failed();
  }

  size(queue = 'default', driver?: QueueDriverName): Promise<number> {
    return this.driver(driver).size(queue);
  }

  /** Closes the drivers' connections (a script calls it when done; closeLibs does too). */
  async close(): Promise<void> {
    await Promise.all([...this.#drivers.values()].map((driver) => driver.close()));
    this.#drivers.clear();
  }
}

/**
 * @example
 * class SendEmailJob extends Job { constructor(public userId: number) { super(); } async handle() { … } }
 * await Queue.push(new SendEmailJob(1));
 * await Queue.later(60, new SendEmailJob(1));
 * await Queue.on('emails').push(new SendEmailJob(1));
 */
export const Queue = new QueueManager();
