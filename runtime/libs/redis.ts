// One way to connect to Redis, for the app (rate limiter) and the facades (Cache, later queues).
import { Redis } from 'ioredis';

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
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: options.offlineQueue ?? false, connectTimeout: 5000, lazyConnect: false });
  // Without a listener ioredis reports every failed reconnection as an unhandled error.
  redis.on('error', options.onError ?? (() => {}));
  return redis;
}
