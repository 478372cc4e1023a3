// Queue and Job: work done later, elsewhere. A Job is a class with handle(); pushing one stores its
// class name and its own properties, and a worker rebuilds it and runs it — with tries, backoff, a
// timeout, failed jobs recorded (and the job's failed() called), delays (`later`) that never block
// the caller, chains that run in order, and named queues. Drivers: sync (runs at once), memory
// (in this process), database (Knex: jobs and failed_jobs tables) and redis (BullMQ).
import { randomUUID } from 'node:crypto';
import { libsDatabase, libsSettings, onLibsClose, onLibsConfigured } from '../config.js';
import type { QueueDriver, WorkOptions, Worker } from './driver.js';
import { DatabaseDriver } from './drivers/database.js';
import { MemoryDriver } from './drivers/memory.js';
import { RedisDriver } from './drivers/redis.js';
import { SyncDriver } from './drivers/sync.js';
import { toPayload, type FailedJob, type Job, type JobPayload } from './job.js';

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
