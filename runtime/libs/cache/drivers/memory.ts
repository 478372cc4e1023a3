// The memory store: one process's Map, entries dropped when read after their expiry.
import { added, expiry, type CacheStore } from '../store.js';

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
