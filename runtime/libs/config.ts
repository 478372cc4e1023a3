// The settings the facades (#libs) read: those the app was configured with (`configureLibs`, called
// once by configureFacades in the project's src/bootstrap.ts), else the project's .env and
// environment, read once on first use.
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { loadEnvFiles } from '../config/env.js';
import { PROJECT_ROOT } from '../config/paths.js';
import { loadSettings, type Settings } from '../config/settings.js';
import { createDatabase } from '../database/connection.js';
import { createRedis } from './redis.js';

let current: Settings | undefined;
let redis: { client: Redis; owned: boolean } | undefined;
let database: { db: Knex; owned: boolean } | undefined;
const listeners = new Set<() => void>();
const closers = new Set<() => Promise<void>>();

export interface LibsServices {
  /** The app's Redis connection, to share instead of opening another. */
  redis?: Redis;
  /** The app's Knex, to share instead of opening another pool (database queue, notifications). */
  db?: Knex;
}

/** Points every facade at these settings (drivers made with older settings are dropped). */
export function configureLibs(settings: Settings, services: LibsServices = {}): void {
  if (redis?.owned) redis.client.disconnect();
  if (database?.owned) void database.db.destroy();
  redis = services.redis ? { client: services.redis, owned: false } : undefined;
  database = services.db ? { db: services.db, owned: false } : undefined;
  current = settings;
  for (const listener of listeners) listener();
}

/** The database the facades use: the app's, else a pool opened on first use (DATABASE_URL). */
export function libsDatabase(): Knex {
  database ??= { db: createDatabase(libsSettings().database), owned: true };
  return database.db;
}

/** Registers something closeLibs() closes (a facade's connections). */
export function onLibsClose(closer: () => Promise<void>): void {
  closers.add(closer);
}

/** The Redis connection the facades use: the app's, else one opened on first use (REDIS_URL). */
export function libsRedis(): Redis {
  if (!redis) {
    const url = libsSettings().redisUrl;
    if (!url) throw new TypeError('a Redis store needs REDIS_URL (redis://host:6379/0) in .env');
    redis = { client: createRedis(url, { offlineQueue: true }), owned: true };
  }
  return redis.client;
}

/** Closes what the facades opened themselves (a Redis connection): call it when a script is done. */
export async function closeLibs(): Promise<void> {
  await Promise.allSettled([...closers].map((close) => close()));
  if (redis?.owned) await redis.client.quit().catch(() => redis?.client.disconnect());
  if (database?.owned) await database.db.destroy();
  redis = undefined;
  database = undefined;
}

/** The settings in force for the facades. */
export function libsSettings(): Settings {
  if (!current) {
    loadEnvFiles(PROJECT_ROOT);
    current = loadSettings(process.env);
  }
  return current;
}

/** Called when the settings change, so a facade can drop the drivers it built from the old ones. */
export function onLibsConfigured(listener: () => void): void {
  listeners.add(listener);
}
