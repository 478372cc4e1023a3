// Creates the services the application shares (logger, database, Redis when REDIS_URL is set, mailer, auth) and closes them on shutdown
// (with whatever the facades in #libs opened).
import { appServices, configureFacades, type AppServices, type RuntimeFacades } from 'fastpy-runtime';
import type { Settings } from 'fastpy-runtime/config';
import { createDatabase } from 'fastpy-runtime/database';
import { closeLibs, createRedis, Hash, Mail, Storage } from '#libs';
import { createLogger, MissingPackageError } from 'fastpy-runtime/utils';
import { User } from './models/user.js';

/**
 * The facades fastpy-runtime's own code uses: auth sends its e-mails through Mail and hashes
 * passwords with Hash, uploads go to Storage's default disk. After `fastpy eject libs/mail` (or
 * libs/hash, libs/storage) this import is your copy, and they use it — the app, the tests and the
 * console tasks alike.
 */
export const facades: RuntimeFacades = { Mail, Hash, Storage };

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
  // The app's e-mails go through your Mail facade (MAIL_DRIVER), uploads to your Storage's default
  // disk (STORAGE_DISK), auth on this database and your User model (src/models/user.ts): give other
  // services here (appServices({ …, mailer })).
  const services = appServices({ settings, logger, db, redis, users: User, facades });
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
