// The Storage facade: the Disk interface and its drivers (local, memory, S3).
export * from './disk.js';
export * from './drivers/local.js';
export * from './drivers/memory.js';
export * from './drivers/s3.js';
export * from './manager.js';
