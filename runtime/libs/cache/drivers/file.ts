// The file store: one JSON file per key under CACHE_PATH (storage/cache), written atomically, so
// several processes on one machine share it.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { added, expiry, type CacheStore } from '../store.js';

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
