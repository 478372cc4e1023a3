// Sliding-window rate limiting: at most `limit` requests per client in any `window` seconds, with
// the X-RateLimit-* headers; kept in memory (one instance) or in Redis (shared by every instance).
import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Logger } from '../utils/logger.js';
import { RateLimitException, ServiceUnavailableException } from '../utils/exceptions.js';

export interface HitResult {
  /** Whether this request is within the limit (and was counted). */
  allowed: boolean;
  /** Requests counted in the current window, this one included when allowed. */
  count: number;
  /** Milliseconds until the oldest counted request leaves the window (a slot frees). */
  resetMs: number;
}

/** Where the window's request times live. */
export interface RateLimitStore {
  hit(key: string, limit: number, windowMs: number): Promise<HitResult>;
}

/**
 * A sliding-window log in process memory: exact, but each instance counts alone.
 *
 * @example
 * rateLimit({ limit: 100, windowSeconds: 60, store: new MemoryRateLimitStore() })
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #hits = new Map<string, number[]>();
  #sweepAt = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async hit(key: string, limit: number, windowMs: number): Promise<HitResult> {
    const now = this.clock();
    this.#sweep(now, windowMs);
    const times = (this.#hits.get(key) ?? []).filter((time) => time > now - windowMs);
    const allowed = times.length < limit;
    if (allowed) times.push(now);
    this.#hits.set(key, times);
    const resetMs = times.length > 0 ? times[0]! + windowMs - now : windowMs;
    return { allowed, count: times.length, resetMs };
  }

  /** Drops clients with no request in the window, at most once per window, so memory stays bounded. */
  #sweep(now: number, windowMs: number): void {
    if (now < this.#sweepAt) return;
    this.#sweepAt = now + windowMs;
    for (const [key, times] of this.#hits) {
      if ((times.at(-1) ?? 0) <= now - windowMs) this.#hits.delete(key);
    }
  }
}

/** The minimal part of an ioredis client the Redis store uses. */
export interface RedisEvalClient {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/**
 * One sorted set per client, trimmed and counted atomically in a Lua script on Redis' own clock,
 * so every instance sharing the Redis server enforces one limit.
 */
const SLIDING_WINDOW_SCRIPT = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local member = ARGV[3]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < limit then
  redis.call('ZADD', key, now, member)
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', key, window)
local reset = window
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
if oldest[2] then reset = tonumber(oldest[2]) + window - now end
return {allowed, count, reset}
`;

/**
 * @example
 * rateLimit({ limit: 100, windowSeconds: 60, store: new RedisRateLimitStore(redis) })
 */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: RedisEvalClient,
    private readonly prefix = 'ratelimit:',
  ) {}

  async hit(key: string, limit: number, windowMs: number): Promise<HitResult> {
    const reply = (await this.redis.eval(
      SLIDING_WINDOW_SCRIPT,
      1,
      this.prefix + key,
      limit,
      windowMs,
      randomUUID(),
    )) as [number, number, number];
    return { allowed: reply[0] === 1, count: Number(reply[1]), resetMs: Math.max(0, Number(reply[2])) };
  }
}

export interface RateLimitOptions {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in seconds. */
  windowSeconds: number;
  /** Where the counts are kept (default: Redis when `redis` is given, else this process's memory). */
  store?: RateLimitStore;
  /** The Redis client for the default store (RATE_LIMIT_STORE=redis), its keys under `prefix`. */
  redis?: RedisEvalClient;
  prefix?: string;
  /** Who a request counts against (default: the client IP). */
  key?: (ctx: Context) => string;
  /** Requests that are never limited (default: health probes). */
  skip?: (ctx: Context) => boolean;
  /** When the store fails (Redis down): let requests through (true, default) or answer 503. */
  failOpen?: boolean;
  logger?: Logger;
}

/**
 * @example
 * app.use(rateLimit({ limit: 100, windowSeconds: 60, store: new MemoryRateLimitStore() }));
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  if (!Number.isInteger(options.limit) || options.limit < 1)
    throw new TypeError(`rateLimit() limit must be a positive integer, got ${options.limit}`);
  if (!(options.windowSeconds > 0))
    throw new TypeError(`rateLimit() windowSeconds must be positive, got ${options.windowSeconds}`);
  const windowMs = Math.round(options.windowSeconds * 1000);
  const keyOf = options.key ?? ((ctx: Context) => ctx.ip || 'unknown');
  const skip = options.skip ?? ((ctx: Context) => ctx.path === '/health' || ctx.path.startsWith('/health/'));
  const failOpen = options.failOpen ?? true;
  const store =
    options.store ??
    (options.redis ? new RedisRateLimitStore(options.redis, options.prefix) : new MemoryRateLimitStore());

  return async function rateLimitMiddleware(ctx, next) {
    if (skip(ctx)) return next() as Promise<void>;
    let result: HitResult;
    try {
      result = await store.hit(keyOf(ctx), options.limit, windowMs);
    } catch (error) {
      options.logger?.warn(
        { err: error },
        failOpen ? 'rate limit store unavailable; request let through' : 'rate limit store unavailable',
      );
      if (failOpen) return next() as Promise<void>;
      throw new ServiceUnavailableException('Rate limiting unavailable, try again shortly', { cause: error });
    }
    const resetSeconds = Math.max(1, Math.ceil(result.resetMs / 1000));
    ctx.set('X-RateLimit-Limit', String(options.limit));
    ctx.set('X-RateLimit-Remaining', String(Math.max(0, options.limit - result.count)));
    ctx.set('X-RateLimit-Reset', String(resetSeconds));
    if (!result.allowed)
      throw new RateLimitException(
        `Rate limit exceeded: ${options.limit} requests per ${options.windowSeconds} seconds`,
        { retryAfter: resetSeconds },
      );
    await next();
  };
}
