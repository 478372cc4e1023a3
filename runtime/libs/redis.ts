// One way to connect to Redis, for the app (rate limiter) and the facades (Cache, later queues).
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

// ioredis loads with the first connection: an app without REDIS_URL never pays for it.
const require = createRequire(import.meta.url);

export interface RedisOptions {
  /**
   * Queue commands while (re)connecting. Off for the app's connection: while Redis is down its
   * commands fail at once instead of piling up. On for connections made on first use.
   */
  offlineQueue?: boolean;
  onError?: (error: Error) => void;
}

/**
 * @example
 * const redis = createRedis(settings.redisUrl, { onError: (error) => logger.warn({ err: error }, 'redis connection error') });
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  const { Redis: RedisClient } = require('ioredis') as typeof import('ioredis');
  const redis = new RedisClient(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: options.offlineQueue ?? false,
    connectTimeout: 5000,
    lazyConnect: false,
  });
  // Without a listener ioredis reports every failed reconnection as an unhandled error.
  redis.on('error', options.onError ?? (() => {}));
  return redis;
}
