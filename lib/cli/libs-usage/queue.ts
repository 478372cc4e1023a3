// Queue and Job: work done later by a worker (npm run worker). `fastpy libs queue --usage` prints
// this file; the tests run it with QUEUE_DRIVER=memory (jobs run in this process, no worker needed);
// an app uses database or redis, and `npm run worker`.
import assert from 'node:assert/strict';
import { closeLibs, Job, Queue } from '#libs';

const sent: string[] = [];

// Define a job: its own properties are what gets queued
class SendEmailJob extends Job {
  override tries = 3; // attempts before it counts as failed
  override backoff = [10, 60]; // seconds before the 2nd and the 3rd attempt
  override timeout = 30; // seconds an attempt may take

  constructor(
    public userId: number,
    public template: string,
  ) {
    super();
  }

  async handle() {
    sent.push(`${this.template} to user ${this.userId}`);
  }

  override failed(error: Error) {
    console.error(`giving up on user ${this.userId}: ${error.message}`);
  }
}
class ProcessOrderJob extends SendEmailJob {}

// Push a job to the queue
await Queue.push(new SendEmailJob(1, 'welcome'));

// Delay a job (seconds); the caller does not wait
await Queue.later(60, new SendEmailJob(1, 'reminder'));

// Chain jobs (each runs after the one before succeeded)
await Queue.chain([new ProcessOrderJob(1, 'order'), new SendEmailJob(1, 'confirmation')]);

// Use a specific queue (a worker takes it with QUEUE_WORKER_QUEUES=emails,default)
await Queue.on('emails').push(new SendEmailJob(1, 'newsletter'));

await new Promise((resolve) => setTimeout(resolve, 200));
assert.deepEqual(sent.sort(), [
  'confirmation to user 1',
  'newsletter to user 1',
  'order to user 1',
  'welcome to user 1',
]);
await closeLibs();
