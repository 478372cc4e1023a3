// The Cache facade and its stores.
export * from './drivers/file.js';
export * from './drivers/memory.js';
export * from './drivers/redis.js';
export * from './manager.js';
export * from './repository.js';
export * from './store.js';
