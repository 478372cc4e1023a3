// Cache: put/get/has/remember/forget/flush/increment/decrement with TTLs (seconds) and tags, on
// three stores that behave the same — memory (one process), file (storage/cache) and redis
// (shared by every instance). Values are stored as JSON, so what comes back is a copy.
import { FastpyError } from '../utils/errors.js';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Redis } from 'ioredis';
import { PROJECT_ROOT } from '../config/paths.js';
import { libsSettings, libsRedis, onLibsConfigured } from './config.js';

/** Where a store keeps raw (JSON) values. */
export interface CacheStore {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string, ttlSeconds?: number): Promise<void>;
  forget(key: string): Promise<boolean>;
  /** Removes every entry of this store (only this cache's, on a shared Redis). */
  flush(): Promise<void>;
  /** Adds to an integer value (a missing one counts as 0), keeping its expiry. */
  increment(key: string, by: number): Promise<number>;
}

export class CacheError extends FastpyError {
  constructor(message: string) {
    super('E_CACHE', message);
  }
}

const expiry = (ttlSeconds: number | undefined) =>
  ttlSeconds === undefined ? undefined : Date.now() + ttlSeconds * 1000;

function added(key: string, raw: string | undefined, by: number): number {
  const current = raw === undefined ? 0 : (JSON.parse(raw) as unknown);
  if (!Number.isSafeInteger(current)) throw new CacheError(`cannot increment "${key}": its value is not an integer`);
  return (current as number) + by;
}

export class MemoryStore implements CacheStore {
  readonly #entries = new Map<string, { value: string; expiresAt?: number }>();

  #live(key: string) {
    const entry = this.#entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  async get(key: string) {
    return this.#live(key)?.value;
  }

  async put(key: string, value: string, ttlSeconds?: number) {
    this.#entries.set(key, { value, expiresAt: expiry(ttlSeconds) });
  }

  async forget(key: string) {
    return this.#entries.delete(key);
  }

  async flush() {
    this.#entries.clear();
  }

  async increment(key: string, by: number) {
    const entry = this.#live(key);
    const value = added(key, entry?.value, by);
    this.#entries.set(key, { value: String(value), expiresAt: entry?.expiresAt });
    return value;
  }
}

/** One JSON file per key (named by its SHA-256), written atomically. */
export class FileStore implements CacheStore {
  constructor(readonly directory: string) {}

  #file(key: string) {
    return join(this.directory, `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  #read(key: string): { value: string; expiresAt?: number } | undefined {
    let entry: { key: string; value: string; expiresAt?: number };
    try {
      entry = JSON.parse(readFileSync(this.#file(key), 'utf8')) as typeof entry;
    } catch {
      return undefined; // missing, or half-written by a crashed process
    }
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      rmSync(this.#file(key), { force: true });
      return undefined;
    }
    return entry;
  }

  #write(key: string, value: string, expiresAt: number | undefined) {
    mkdirSync(this.directory, { recursive: true });
    const temporary = `${this.#file(key)}.${process.pid}.${randomUUID()}.tmp`;
    writeFileSync(temporary, JSON.stringify({ key, value, expiresAt }));
    renameSync(temporary, this.#file(key));
  }

  async get(key: string) {
    return this.#read(key)?.value;
  }

  async put(key: string, value: string, ttlSeconds?: number) {
    this.#write(key, value, expiry(ttlSeconds));
  }

  async forget(key: string) {
    const existed = this.#read(key) !== undefined;
    rmSync(this.#file(key), { force: true });
    return existed;
  }

  async flush() {
    let files: string[];
    try {
      files = readdirSync(this.directory);
    } catch {
      return;
    }
    for (const file of files)
      if (/^[0-9a-f]{64}\.json$/.test(file)) rmSync(join(this.directory, file), { force: true });
  }

  async increment(key: string, by: number) {
    const entry = this.#read(key);
    const value = added(key, entry?.value, by);
    this.#write(key, String(value), entry?.expiresAt);
    return value;
  }
}

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

function checkKey(key: string): void {
  if (typeof key !== 'string' || key === '') throw new TypeError('Cache: a key is a non-empty string');
}

function checkTtl(ttl: number | undefined): void {
  if (ttl !== undefined && !(Number.isFinite(ttl) && ttl > 0))
    throw new TypeError(`Cache: a TTL is a number of seconds above 0 (got ${String(ttl)})`);
}

/** The cache API over one store (and, through `tags`, a namespace in it). */
export class CacheRepository {
  constructor(
    readonly store: CacheStore,
    private readonly namespace: () => Promise<string> = async () => '',
  ) {}

  async #key(key: string): Promise<string> {
    checkKey(key);
    return (await this.namespace()) + key;
  }

  /** Stores a value (any JSON value) for `ttl` seconds, or until forgotten. */
  async put(key: string, value: unknown, ttl?: number): Promise<void> {
    checkTtl(ttl);
    if (value === undefined)
      throw new TypeError(`Cache.put("${key}"): undefined cannot be cached (forget the key instead)`);
    await this.store.put(await this.#key(key), JSON.stringify(value), ttl);
  }

  /** The value, or `fallback` when missing or expired. */
  async get<T = unknown>(key: string, fallback?: T): Promise<T | undefined> {
    const raw = await this.store.get(await this.#key(key));
    return raw === undefined ? fallback : (JSON.parse(raw) as T);
  }

  async has(key: string): Promise<boolean> {
    return (await this.store.get(await this.#key(key))) !== undefined;
  }

  /** The cached value, or the callback's (awaited) result, cached for `ttl` seconds. */
  async remember<T>(key: string, callback: () => T | Promise<T>, ttl?: number): Promise<T> {
    checkTtl(ttl);
    const raw = await this.store.get(await this.#key(key));
    if (raw !== undefined) return JSON.parse(raw) as T;
    const value = await callback();
    await this.put(key, value, ttl);
    return value;
  }

  async forget(key: string): Promise<boolean> {
    return this.store.forget(await this.#key(key));
  }

  async increment(key: string, by = 1): Promise<number> {
    if (!Number.isSafeInteger(by)) throw new TypeError(`Cache.increment("${key}"): the amount must be an integer`);
    return this.store.increment(await this.#key(key), by);
  }

  async decrement(key: string, by = 1): Promise<number> {
    return this.increment(key, -by);
  }

  /** Removes every entry of the store. */
  async flush(): Promise<void> {
    await this.store.flush();
  }

  /**
   * Entries grouped under tags: `Cache.tags(['users']).flush()` drops every entry stored with the
   * tag 'users' (each tag has a version in the store; flushing it starts a new one).
   */
  tags(names: string | readonly string[]): TaggedCache {
    const list = ([] as string[]).concat(names);
    if (list.length === 0 || list.some((name) => typeof name !== 'string' || name === ''))
      throw new TypeError('Cache.tags(): give one or more non-empty tag names');
    return new TaggedCache(this.store, list);
  }
}

export class TaggedCache extends CacheRepository {
  constructor(
    store: CacheStore,
    readonly names: readonly string[],
  ) {
    super(store, async () => {
      const versions = await Promise.all(names.map((name) => this.#version(name)));
      return `tagged:${createHash('sha1').update(versions.join('|')).digest('hex')}:`;
    });
  }

  async #version(name: string): Promise<string> {
    const key = `tag:${name}:version`;
    const current = await this.store.get(key);
    if (current !== undefined) return current;
    const version = JSON.stringify(randomUUID());
    await this.store.put(key, version);
    return version;
  }

  /** Drops every entry stored under any of these tags. */
  override async flush(): Promise<void> {
    for (const name of this.names) await this.store.put(`tag:${name}:version`, JSON.stringify(randomUUID()));
  }
}

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
