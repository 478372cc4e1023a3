// Cache: the same behaviour on memory, file and redis (the real server at 127.0.0.1:6379).
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { Redis } from 'ioredis';
import { loadSettings } from '../../../runtime/config/settings.js';
import {
  Cache,
  CacheError,
  CacheRepository,
  FileStore,
  MemoryStore,
  RedisStore,
} from '../../../runtime/libs/cache/index.js';
import { closeLibs, configureLibs } from '../../../runtime/libs/config.js';
import { REDIS_URL } from '../../helpers/databases.js';

const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
test.after.always(async () => {
  await redis.quit();
  await closeLibs();
});

const prefix = () => `fastpy-test:${process.pid}:${Math.random().toString(36).slice(2)}:`;
const stores = {
  memory: () => new MemoryStore(),
  file: () => new FileStore(mkdtempSync(join(tmpdir(), 'fastpy-cache-'))),
  redis: () => new RedisStore(redis, prefix()),
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const [name, make] of Object.entries(stores)) {
  test(`${name}: put/get/has/forget, JSON values come back as copies, fallbacks for missing keys`, async (t) => {
    const cache = new CacheRepository(make());
    t.is(await cache.get('missing'), undefined);
    t.is(await cache.get('missing', 'fallback'), 'fallback');
    const user = { id: 1, name: 'Ada', roles: ['admin'], active: true, score: 1.5, nothing: null };
    await cache.put('user:1', user);
    t.deepEqual(await cache.get('user:1'), user);
    t.not(await cache.get('user:1'), user);
    t.true(await cache.has('user:1'));
    await cache.put('zero', 0);
    t.is(await cache.get('zero', 99), 0, 'falsy values are values');
    t.true(await cache.forget('user:1'));
    t.false(await cache.forget('user:1'));
    t.false(await cache.has('user:1'));
    await t.throwsAsync(cache.put('x', undefined), { message: /undefined cannot be cached/ });
    await t.throwsAsync(cache.put('', 1), { message: 'Cache: a key is a non-empty string' });
    await t.throwsAsync(cache.put('x', 1, 0), { message: 'Cache: a TTL is a number of seconds above 0 (got 0)' });
  });

  test(`${name}: TTLs expire; remember computes once`, async (t) => {
    const cache = new CacheRepository(make());
    await cache.put('short', 'soon gone', 0.2);
    await cache.put('long', 'kept', 60);
    t.is(await cache.get('short'), 'soon gone');
    await sleep(300);
    t.is(await cache.get('short'), undefined);
    t.false(await cache.has('short'));
    t.is(await cache.get('long'), 'kept');
    let calls = 0;
    const compute = async () => {
      calls += 1;
      return [{ id: 1 }, { id: 2 }];
    };
    t.deepEqual(await cache.remember('users', compute, 600), [{ id: 1 }, { id: 2 }]);
    t.deepEqual(await cache.remember('users', compute, 600), [{ id: 1 }, { id: 2 }]);
    t.is(calls, 1);
  });

  test(`${name}: increment/decrement, from nothing, keeping a TTL; a non-integer is refused`, async (t) => {
    const cache = new CacheRepository(make());
    t.is(await cache.increment('visits'), 1);
    t.is(await cache.increment('visits', 5), 6);
    t.is(await cache.decrement('visits'), 5);
    t.is(await cache.get('visits'), 5);
    await cache.put('stock', 10, 0.2);
    t.is(await cache.decrement('stock', 3), 7);
    await sleep(300);
    t.is(await cache.get('stock'), undefined, 'the TTL survived the decrement');
    await cache.put('title', 'hello');
    await t.throwsAsync(cache.increment('title'), {
      instanceOf: CacheError,
      message: 'cannot increment "title": its value is not an integer',
    });
  });

  test(`${name}: tags group entries for one flush; flush empties the store`, async (t) => {
    const cache = new CacheRepository(make());
    await cache.tags(['users', 'active']).put('user:1', { id: 1 });
    await cache.tags('users').put('user:2', { id: 2 });
    await cache.tags('posts').put('post:1', { id: 1 });
    await cache.put('plain', 'untagged');
    t.deepEqual(await cache.tags(['users', 'active']).get('user:1'), { id: 1 });
    t.is(await cache.get('user:1'), undefined, 'a tagged entry is only seen through its tags');
    await cache.tags('users').flush();
    t.is(await cache.tags(['users', 'active']).get('user:1'), undefined);
    t.is(await cache.tags('users').get('user:2'), undefined);
    t.deepEqual(await cache.tags('posts').get('post:1'), { id: 1 });
    t.is(await cache.get('plain'), 'untagged');
    t.is(await cache.tags('posts').increment('views'), 1);
    await cache.flush();
    t.is(await cache.get('plain'), undefined);
    t.is(await cache.tags('posts').get('post:1'), undefined);
    t.throws(() => cache.tags([]), { message: 'Cache.tags(): give one or more non-empty tag names' });
  });
}

test("redis: flush removes only this cache's keys (a shared Redis keeps its other data)", async (t) => {
  const mine = prefix();
  await redis.set(`${mine}other-app-data`, 'x'); // same server, outside the prefix below
  const cache = new CacheRepository(new RedisStore(redis, `${mine}cache:`));
  await cache.put('a', 1);
  await cache.flush();
  t.is(await redis.get(`${mine}other-app-data`), 'x');
  t.is(await redis.exists(`${mine}cache:a`), 0);
  await redis.del(`${mine}other-app-data`);
});

test('file: entries are files named by hash; a corrupt file reads as missing', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'fastpy-cache-'));
  const cache = new CacheRepository(new FileStore(directory));
  await cache.put('a', 1);
  const [file] = readdirSync(directory);
  t.regex(file!, /^[0-9a-f]{64}\.json$/);
  writeFileSync(join(directory, file!), '{"half');
  t.is(await cache.get('a'), undefined);
});

test.serial('the facade: the default store from CACHE_STORE, others by name; settings are checked', async (t) => {
  configureLibs(
    loadSettings({
      NODE_ENV: 'test',
      CACHE_STORE: 'redis',
      REDIS_URL,
      CACHE_PREFIX: prefix(),
      CACHE_PATH: mkdtempSync(join(tmpdir(), 'fastpy-cache-')),
    }),
  );
  await Cache.put('key', 'value', 60);
  t.is(await Cache.get('key'), 'value');
  t.true(Cache.store() === Cache.store('redis'));
  await Cache.store('file').put('key', 'on disk');
  await Cache.store('memory').put('key', 'in memory');
  t.deepEqual(
    [await Cache.get('key'), await Cache.store('file').get('key'), await Cache.store('memory').get('key')],
    ['value', 'on disk', 'in memory'],
  );
  t.is(await Cache.increment('visits'), 1);
  await Cache.flush();
  t.false(await Cache.has('key'));
  t.throws(() => Cache.store('memcached'), {
    message: 'Cache.store(): unknown store "memcached"; stores: memory, file, redis',
  });
  t.throws(() => loadSettings({ NODE_ENV: 'test', CACHE_STORE: 'redis' }), {
    message: /CACHE_STORE is redis but REDIS_URL is not set/,
  });
  t.throws(() => loadSettings({ NODE_ENV: 'test', CACHE_STORE: 'disk' }), {
    message: /CACHE_STORE must be one of memory, file, redis/,
  });
});
