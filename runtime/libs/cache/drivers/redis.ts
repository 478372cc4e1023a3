// The redis store (ioredis): shared by every instance of the app.
import type { Redis } from 'ioredis';
import { CacheError, type CacheStore } from '../store.js';

/** Keys under this cache's prefix, so a Redis shared with other data (rate limits, queues) is never flushed whole. */
export class RedisStore implements CacheStore {
  constructor(
    private readonly redis: Redis,
    readonly prefix: string,
  ) {}

  async get(key: string) {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async put(key: string, value: string, ttlSeconds?: number) {
    if (ttlSeconds === undefined) await this.redis.set(this.prefix + key, value);
    else await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.round(ttlSeconds * 1000)));
  }

  async forget(key: string) {
    return (await this.redis.del(this.prefix + key)) > 0;
  }

  async flush() {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        'MATCH',
        `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`,
        'COUNT',
        500,
      );
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  async increment(key: string, by: number) {
    try {
      return await this.redis.incrby(this.prefix + key, by);
    } catch (error) {
      if (/not an integer/.test((error as Error).message))
        throw new CacheError(`cannot increment "${key}": its value is not an integer`);
      throw error;
    }
  }
}
