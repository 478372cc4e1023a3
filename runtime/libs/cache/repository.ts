// The cache API over one store — put/get/has/remember/forget/increment/flush — and tagged caches
// (a namespace whose version changes when the tag is flushed).
import { createHash, randomUUID } from 'node:crypto';
import type { CacheStore } from './store.js';

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
