// fastpy-runtime/storage: the Disk interface and its drivers (local, memory, S3).
export * from './disk.js';
export * from './local-disk.js';
export * from './memory-disk.js';
export * from './s3-disk.js';
