import { randomUUID } from 'node:crypto';
import test from 'ava';
import { Redis } from 'ioredis';
import { MemoryRateLimitStore, RedisRateLimitStore } from '../../runtime/middleware/rate-limit.js';
import { REDIS_URL } from '../helpers/databases.js';

test('memory store: a sliding window, not fixed buckets', async (t) => {
  let now = 1_000_000;
  const store = new MemoryRateLimitStore(() => now);
  t.like(await store.hit('ip', 2, 10_000), { allowed: true, count: 1, resetMs: 10_000 });
  now += 6_000;
  t.like(await store.hit('ip', 2, 10_000), { allowed: true, count: 2, resetMs: 4_000 });
  now += 1_000;
  t.like(await store.hit('ip', 2, 10_000), { allowed: false, count: 2, resetMs: 3_000 });
  // The first hit leaves the window 10 s after it was made; one slot frees, not the whole window.
  now += 3_001;
  t.like(await store.hit('ip', 2, 10_000), { allowed: true, count: 2 });
  t.like(await store.hit('ip', 2, 10_000), { allowed: false });
  t.like(await store.hit('other', 2, 10_000), { allowed: true, count: 1 });
});

test('memory store: rejected requests do not extend the block', async (t) => {
  let now = 0;
  const store = new MemoryRateLimitStore(() => now);
  await store.hit('ip', 1, 1_000);
  for (let i = 0; i < 5; i++) {
    now += 100;
    t.false((await store.hit('ip', 1, 1_000)).allowed);
  }
  now = 1_001;
  t.true((await store.hit('ip', 1, 1_000)).allowed);
});

test('redis store: two stores (two app instances) share one window', async (t) => {
  const a = new Redis(REDIS_URL);
  const b = new Redis(REDIS_URL);
  const key = `test-${randomUUID()}`;
  try {
    const storeA = new RedisRateLimitStore(a, 'fastpy-test:');
    const storeB = new RedisRateLimitStore(b, 'fastpy-test:');
    t.like(await storeA.hit(key, 3, 5_000), { allowed: true, count: 1 });
    t.like(await storeB.hit(key, 3, 5_000), { allowed: true, count: 2 });
    t.like(await storeA.hit(key, 3, 5_000), { allowed: true, count: 3 });
    const denied = await storeB.hit(key, 3, 5_000);
    t.like(denied, { allowed: false, count: 3 });
    t.true(denied.resetMs > 0 && denied.resetMs <= 5_000);
    const ttl = await a.pttl(`fastpy-test:${key}`);
    t.true(ttl > 0 && ttl <= 5_000, 'the key expires with the window');
  } finally {
    await a.del(`fastpy-test:${key}`);
    a.disconnect();
    b.disconnect();
  }
});
