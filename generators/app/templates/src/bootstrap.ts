// Creates the services the application shares (logger, database, Redis when REDIS_URL is set, mailer, auth) and closes them on shutdown
// (with whatever the facades in #libs opened).
import { appServices, configureFacades, type AppServices } from 'fastpy-runtime';
import type { Settings } from 'fastpy-runtime/config';
import { createDatabase } from 'fastpy-runtime/database';
import { closeLibs, createRedis } from '#libs';
import { createLogger, MissingPackageError } from 'fastpy-runtime/utils';
import { User } from './models/user.js';

export interface Services extends AppServices {
  /** Closes the database pool and the Redis connection. */
  close(): Promise<void>;
}

/**
 * @example
 * const services = createServices(readSettings());
 * const app = createApp({ ...services, routes });
 */
export function createServices(settings: Settings): Services {
  const logger = createLogger({ level: settings.logLevel, pretty: settings.logPretty, name: settings.appName });
  const db = createDatabase(settings.database, { logger });
  // Redis whenever REDIS_URL is set (whatever features the project was made with), so every setting
  // that needs it (RATE_LIMIT_STORE, CACHE_STORE, QUEUE_DRIVER=redis) works. No offline queue: while
  // Redis is down, commands fail at once instead of piling up.
  const redis = settings.redisUrl
    ? createRedis(settings.redisUrl, { onError: (error) => logger.warn({ err: error }, 'redis connection error') })
    : undefined;
  // The facades (#libs) follow these settings and share this Redis connection and database pool.
  configureFacades({ settings, redis, db });
  // The app's e-mails go through the Mail facade (MAIL_DRIVER), uploads to the default disk
  // (STORAGE_DISK), auth on this database and your User model (src/models/user.ts): give your own
  // here (appServices({ …, mailer })).
  const services = appServices({ settings, logger, db, redis, users: User });
  return {
    ...services,
    async close() {
      await Promise.allSettled([db.destroy(), redis?.quit(), closeLibs()]);
    },
  };
}

/**
 * createServices, or for what the owner fixes in one step (a driver whose package is not installed,
 * say REDIS_URL without ioredis) the reason in one line and exit code 1.
 */
export function createServicesOrExit(settings: Settings): Services {
  try {
    return createServices(settings);
  } catch (error) {
    if (!(error instanceof MissingPackageError)) throw error;
    console.error(`cannot start: ${error.message}`);
    process.exit(1);
  }
}
