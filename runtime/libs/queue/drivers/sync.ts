// The sync driver: jobs run at once, in the caller.
import { failure, runPayload, type QueueDriver, type Worker } from '../driver.js';
import { reportFailure, type FailedJob, type JobPayload } from '../job.js';

/** Runs jobs at once, in the caller (retries included); a failed job's error reaches the caller. */
export class SyncDriver implements QueueDriver {
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
