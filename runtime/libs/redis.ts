// One way to connect to Redis, for the app (rate limiter) and the facades (Cache, later queues).
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { requireOptional } from '../utils/optional-package.js';

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
  const { Redis: RedisClient } = requireOptional(
    'redis',
    'Redis (REDIS_URL)',
    () => require('ioredis') as typeof import('ioredis'),
  );
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

/**
 * One PING on a connection of its own that gives up at once (no retries, no queue): what
 * `fastpy doctor` reports for REDIS_URL.
 *
 * @example
 * await pingRedis('redis://127.0.0.1:6379/0') // 'PONG'
 */
export async function pingRedis(url: string): Promise<string> {
  const { Redis: RedisClient } = requireOptional(
    'redis',
    'the Redis check (REDIS_URL)',
    () => require('ioredis') as typeof import('ioredis'),
  );
  const redis = new RedisClient(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await redis.ping();
  } finally {
    redis.disconnect();
  }
}
