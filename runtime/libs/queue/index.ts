// The Queue facade, jobs and the queue drivers.
export * from './driver.js';
export * from './drivers/database.js';
export * from './drivers/memory.js';
export * from './drivers/redis.js';
export * from './drivers/sync.js';
export * from './job.js';
export * from './manager.js';
