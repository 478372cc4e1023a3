// configureFacades(): the facades (#libs) share the app's Redis client when it is a whole ioredis client,
// and never take a partial stand-in (a rate-limit store fake) for one.
import test from 'ava';
import knex from 'knex';
import { configureFacades } from '../../runtime/app.js';
import { loadSettings } from '../../runtime/config/settings.js';
import { knexConfigFromUrl } from '../../runtime/database/dialects.js';
import { closeLibs, libsRedis, libsSettings } from '../../runtime/libs/config.js';
import { createLogger } from '../../runtime/utils/logger.js';
import { createRedis } from '../../runtime/libs/redis.js';
import { REDIS_URL } from '../helpers/databases.js';

test.serial(
  'the facades use the app’s ioredis client; a stand-in with only eval/ping is not taken for one',
  async (t) => {
    const db = knex(knexConfigFromUrl('sqlite::memory:'));
    const redis = createRedis(REDIS_URL);
    t.teardown(async () => {
      redis.disconnect();
      await closeLibs();
      await db.destroy();
    });
    configureFacades({ settings: loadSettings({ NODE_ENV: 'test', REDIS_URL, APP_NAME: 'shared-redis' }), redis });
    t.is(libsRedis(), redis, 'shared, not a second connection');
    const standIn = { eval: async () => [1, 1, 0], ping: async () => 'PONG' };
    configureFacades({ settings: loadSettings({ NODE_ENV: 'test', REDIS_URL, APP_NAME: 'stand-in' }), redis: standIn });
    const own = libsRedis();
    t.not(own, standIn as never);
    t.is(typeof own.duplicate, 'function', 'the facades opened a client of their own from REDIS_URL');
  },
);

test.serial('createApp and appServices leave the facades as the composition root configured them', async (t) => {
  const db = knex(knexConfigFromUrl('sqlite::memory:'));
  t.teardown(async () => {
    await closeLibs();
    await db.destroy();
  });
  configureFacades({ settings: loadSettings({ NODE_ENV: 'test', APP_NAME: 'composed' }) });
  const { createApp, appServices } = await import('../../runtime/app.js');
  const logger = createLogger({ level: 'silent' });
  const other = loadSettings({ NODE_ENV: 'test', APP_NAME: 'another-app' });
  appServices({ settings: other, db, logger });
  createApp({ settings: other, db, logger });
  t.is(libsSettings().appName, 'composed', 'configured once, by configureFacades');
});
