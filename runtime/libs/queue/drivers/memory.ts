// The memory driver: jobs in this process, for development and tests.
import { failure, loop, runPayload, type QueueDriver, type WorkOptions, type Worker } from '../driver.js';
import { reportFailure, type FailedJob, type JobPayload } from '../job.js';

interface StoredJob {
  payload: JobPayload;
  attempts: number;
  availableAt: number;
}

/** Jobs in this process's memory, run by a worker in this process (started on the first push). */
export class MemoryDriver implements QueueDriver {
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
