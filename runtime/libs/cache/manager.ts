// Cache: put/get/has/remember/forget/flush/increment/decrement with TTLs (seconds) and tags, on
// three stores that behave the same — memory (one process), file (storage/cache) and redis
// (shared by every instance). Values are stored as JSON, so what comes back is a copy.
import { isAbsolute, join } from 'node:path';
import { PROJECT_ROOT } from '../../config/paths.js';
import { libsRedis, libsSettings, onLibsConfigured } from '../config.js';
import { FileStore } from './drivers/file.js';
import { MemoryStore } from './drivers/memory.js';
import { RedisStore } from './drivers/redis.js';
import { CacheRepository } from './repository.js';

export type StoreName = 'memory' | 'file' | 'redis';

class CacheManager {
  #repositories = new Map<StoreName, CacheRepository>();

  constructor() {
    onLibsConfigured(() => this.#repositories.clear());
  }

  /** A store by name: `Cache.store('redis').put('key', 'value')`. */
  store(name: string = libsSettings().cache.store): CacheRepository {
    if (name !== 'memory' && name !== 'file' && name !== 'redis')
      throw new TypeError(`Cache.store(): unknown store "${name}"; stores: memory, file, redis`);
    let repository = this.#repositories.get(name);
    if (!repository) {
      const settings = libsSettings();
      if (name === 'memory') repository = new CacheRepository(new MemoryStore());
      else if (name === 'file')
        repository = new CacheRepository(
          new FileStore(
            isAbsolute(settings.cache.path) ? settings.cache.path : join(PROJECT_ROOT, settings.cache.path),
          ),
        );
      else repository = new CacheRepository(new RedisStore(libsRedis(), settings.cache.prefix));
      this.#repositories.set(name, repository);
    }
    return repository;
  }

  put(key: string, value: unknown, ttl?: number) {
    return this.store().put(key, value, ttl);
  }

  get<T = unknown>(key: string, fallback?: T) {
    return this.store().get<T>(key, fallback);
  }

  has(key: string) {
    return this.store().has(key);
  }

  remember<T>(key: string, callback: () => T | Promise<T>, ttl?: number) {
    return this.store().remember(key, callback, ttl);
  }

  forget(key: string) {
    return this.store().forget(key);
  }

  flush() {
    return this.store().flush();
  }

  increment(key: string, by = 1) {
    return this.store().increment(key, by);
  }

  decrement(key: string, by = 1) {
    return this.store().decrement(key, by);
  }

  tags(names: string | readonly string[]) {
    return this.store().tags(names);
  }
}

/**
 * @example
 * await Cache.put('key', 'value', 3600);
 * const users = await Cache.remember('users', () => fetchUsers(), 600);
 * await Cache.tags(['users']).flush();
 */
export const Cache = new CacheManager();
