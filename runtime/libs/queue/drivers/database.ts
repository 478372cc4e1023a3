// The database driver (Knex): the jobs and failed_jobs tables, shared by every worker.
import type { Knex } from 'knex';
import { failure, loop, runPayload, type QueueDriver, type WorkOptions, type Worker } from '../driver.js';
import { reportFailure, type FailedJob, type JobPayload } from '../job.js';

/** Jobs in the database (the jobs table), reserved one at a time so several workers can share it. */
export class DatabaseDriver implements QueueDriver {
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
