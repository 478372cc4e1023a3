// `npm run worker` (built: `npm run start:worker`): runs queued jobs from QUEUE_WORKER_QUEUES with
// QUEUE_DRIVER's driver (database or redis) until SIGTERM/SIGINT; then it finishes the job in hand,
// closes its connections and exits 0.
import { createServicesOrExit } from './bootstrap.js';
import { readSettingsOrExit } from './config/index.js';
import './jobs/index.js'; // registers the job classes the worker can run
import { Queue } from '#libs';
import { onShutdown } from 'fastpy-runtime/utils';

const settings = readSettingsOrExit();
const services = createServicesOrExit(settings);
const { logger } = services;
const { driver, workerQueues } = settings.queue;
if (driver === 'sync' || driver === 'memory') {
  logger.error(
    `QUEUE_DRIVER is ${driver}: jobs run inside the app itself; a worker runs the database and redis drivers' jobs`,
  );
  await services.close();
  process.exit(1);
}

const worker = Queue.work(workerQueues, {
  onError: (error, payload) => logger.error({ err: error, job: payload?.job }, 'job could not be processed'),
  onFailed: (failed) =>
    logger.warn(
      { job: failed.job, id: failed.id, queue: failed.queue, error: failed.error },
      `job ${failed.job} failed after its last try`,
    ),
});
logger.info(`worker started: ${driver} driver, queues ${workerQueues.join(', ')}`);

onShutdown(logger, {
  draining: 'finishing the job in hand',
  stop: () => worker.stop(),
  close: () => services.close(),
  done: 'worker stopped cleanly',
});
