// Queue and Job on every driver: sync, memory, database (SQLite, PostgreSQL, MySQL) and redis
// (BullMQ on the real Redis) — push, later, tries with backoff and failed jobs, timeouts, chains,
// named queues.
import test from 'ava';
import knex, { type Knex } from 'knex';
import { loadSettings } from '../../../runtime/config/settings.js';
import { knexConfigFromUrl } from '../../../runtime/database/dialects.js';
import { up as createQueueTables } from '../../../runtime/database/migrations/20260101000200_create_queue_tables.js';
import { closeLibs, configureLibs } from '../../../runtime/libs/config.js';
import { Job, Queue, type QueueDriverName } from '../../../runtime/libs/queue/index.js';
import { DATABASE_URLS, REDIS_URL, testDrivers } from '../../helpers/databases.js';

const log: string[] = [];
const failures: string[] = [];

class Note extends Job {
  constructor(
    public label: string,
    public count = 1,
  ) {
    super();
  }
  handle() {
    log.push(`${this.label}:${this.count}`);
  }
}

let flakyCalls = 0;
class Flaky extends Job {
  override tries = 3;
  override backoff = [0, 0.2];
  constructor(public succeedOn: number) {
    super();
  }
  handle() {
    flakyCalls += 1;
    if (flakyCalls < this.succeedOn) throw new Error(`attempt ${flakyCalls} broke`);
    log.push(`flaky ok after ${flakyCalls}`);
  }
  override failed(error: Error) {
    failures.push(`failed: ${error.message}`);
  }
}

class Slow extends Job {
  override timeout = 0.2;
  async handle() {
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  override failed(error: Error) {
    failures.push(error.message);
  }
}

const waitFor = async (check: () => boolean | Promise<boolean>, ms = 8000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

function reset() {
  log.length = 0;
  failures.length = 0;
  flakyCalls = 0;
}

test.afterEach.always(async () => {
  await closeLibs();
});

test.serial('sync: runs at once in the caller; a failure reaches it after the last try', async (t) => {
  reset();
  configureLibs(loadSettings({ NODE_ENV: 'test', QUEUE_DRIVER: 'sync' }));
  await Queue.push(new Note('now', 2));
  t.deepEqual(log, ['now:2']);
  await Queue.chain([new Note('a'), new Note('b')]);
  t.deepEqual(log, ['now:2', 'a:1', 'b:1']);
  await t.throwsAsync(Queue.push(new Flaky(99)), { message: 'attempt 3 broke' });
  t.deepEqual(failures, ['failed: attempt 3 broke']);
  t.like((await Queue.failed())[0], {
    job: 'Flaky',
    queue: 'default',
    error: 'Error: attempt 3 broke',
    data: { succeedOn: 99 },
  });
  t.throws(() => Queue.on('bad name!'), { message: /is not a queue name/ });
  await t.throwsAsync(Queue.push({ handle() {} } as unknown as Job), { message: /push a Job/ });
});

/** The behaviour every worker-run driver shares. */
async function workerDriver(
  t: import('ava').ExecutionContext,
  driver: QueueDriverName,
  env: Record<string, string>,
  db?: Knex,
) {
  reset();
  configureLibs(loadSettings({ NODE_ENV: 'test', QUEUE_DRIVER: driver, ...env }), { db });
  const worker = Queue.work(['default'], { sleepMs: 20 });
  try {
    // push, with the job's own properties back in the worker
    await Queue.push(new Note('pushed', 3));
    await waitFor(() => log.includes('pushed:3'));

    // later: the caller does not wait; the job runs after the delay
    const before = Date.now();
    await Queue.later(0.5, new Note('delayed'));
    t.true(Date.now() - before < 400, 'later() returned at once');
    await new Promise((resolve) => setTimeout(resolve, 150));
    t.false(log.includes('delayed:1'), 'not before its delay');
    await waitFor(() => log.includes('delayed:1'));
    t.true(Date.now() - before >= 450);

    // tries and backoff: succeeds on the third attempt
    await Queue.push(new Flaky(3));
    await waitFor(() => log.includes('flaky ok after 3'));
    t.deepEqual(failures, []);

    // out of tries: recorded as failed, failed() called once
    flakyCalls = 0;
    await Queue.push(new Flaky(99));
    await waitFor(async () => (await Queue.failed()).some((job) => job.job === 'Flaky'));
    await waitFor(() => failures.length > 0);
    t.deepEqual(failures, ['failed: attempt 3 broke']);
    const [failed] = (await Queue.failed()).filter((job) => job.job === 'Flaky');
    t.like(failed, { queue: 'default', data: { succeedOn: 99 } });
    t.regex(failed!.error, /attempt 3 broke/);

    // a chain runs in order
    log.length = 0;
    await Queue.chain([new Note('first'), new Note('second'), new Note('third')]);
    await waitFor(() => log.length === 3);
    t.deepEqual(log, ['first:1', 'second:1', 'third:1']);

    // named queues: this worker only works 'default' (the memory driver's own worker works every queue)
    if (driver === 'memory') return;
    await Queue.on('emails').push(new Note('email'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    t.false(log.includes('email:1'));
    t.is(await Queue.size('emails'), 1);
    const emails = Queue.work(['emails'], { sleepMs: 20 });
    await waitFor(() => log.includes('email:1'));
    await emails.stop();
  } finally {
    await worker.stop();
  }
}

test.serial('memory: a worker in this process', async (t) => {
  await workerDriver(t, 'memory', {});
  // The timeout, once (it is the same code on every driver).
  reset();
  await Queue.push(new Slow());
  await waitFor(() => failures.length > 0);
  t.deepEqual(failures, ['Slow timed out after 0.2 s']);
  // Another driver for one push: sync runs it at once, whatever QUEUE_DRIVER says.
  log.length = 0;
  await Queue.via('sync').push(new Note('via sync'));
  t.deepEqual(log, ['via sync:1']);
  t.throws(() => Queue.via('carrier-pigeon' as never), {
    message: /unknown driver "carrier-pigeon"; drivers: sync, memory, database, redis/,
  });
});

for (const driver of testDrivers()) {
  test.serial(`database (${driver}): jobs and failed_jobs tables`, async (t) => {
    const db = knex(knexConfigFromUrl(DATABASE_URLS[driver]));
    try {
      await db.schema.dropTableIfExists('failed_jobs');
      await db.schema.dropTableIfExists('jobs');
      await createQueueTables(db);
      await workerDriver(t, 'database', {}, db);
      t.is(
        await db('jobs')
          .count({ n: '*' })
          .first()
          .then((row) => Number(row?.n)),
        0,
        'done jobs leave the table',
      );
    } finally {
      await db.destroy();
    }
  });
}

test.serial('database: two workers never run the same job twice', async (t) => {
  reset();
  const db = knex(knexConfigFromUrl(DATABASE_URLS[testDrivers().includes('postgresql') ? 'postgresql' : 'sqlite']));
  try {
    await db.schema.dropTableIfExists('failed_jobs');
    await db.schema.dropTableIfExists('jobs');
    await createQueueTables(db);
    configureLibs(loadSettings({ NODE_ENV: 'test', QUEUE_DRIVER: 'database' }), { db });
    for (let i = 0; i < 30; i += 1) await Queue.push(new Note(`job${i}`));
    const workers = [Queue.work(['default'], { sleepMs: 10 }), Queue.work(['default'], { sleepMs: 10 })];
    await waitFor(() => log.length >= 30);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all(workers.map((worker) => worker.stop()));
    t.is(log.length, 30);
    t.is(new Set(log).size, 30);
  } finally {
    await db.destroy();
  }
});

test.serial('redis: BullMQ on the real Redis', async (t) => {
  await workerDriver(t, 'redis', { REDIS_URL, APP_NAME: `fastpy-queue-test-${process.pid}-${Date.now()}` });
});
