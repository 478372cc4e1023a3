// The redis driver, through BullMQ (an optional package: fastpy add redis).
import { randomUUID } from 'node:crypto';
import { importOptional } from '../../../utils/optional-package.js';
import { libsRedis } from '../../config.js';
import { failure, type QueueDriver, type WorkOptions, type Worker } from '../driver.js';
import { attempt, fromPayload, reportFailure, type FailedJob, type JobPayload } from '../job.js';

/** Jobs in Redis, through BullMQ (retries, delays and failed jobs kept by BullMQ itself). */
export class RedisDriver implements QueueDriver {
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
