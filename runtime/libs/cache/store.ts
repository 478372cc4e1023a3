// What every cache store (memory, file, redis: drivers/) does, and the helpers they share.
import { FastpyError } from '../../utils/errors.js';

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

export const expiry = (ttlSeconds: number | undefined) =>
  ttlSeconds === undefined ? undefined : Date.now() + ttlSeconds * 1000;

export function added(key: string, raw: string | undefined, by: number): number {
  const current = raw === undefined ? 0 : (JSON.parse(raw) as unknown);
  if (!Number.isSafeInteger(current)) throw new CacheError(`cannot increment "${key}": its value is not an integer`);
  return (current as number) + by;
}
