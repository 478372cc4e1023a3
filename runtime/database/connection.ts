// The Knex instance: one per process, configured from settings, with the project's migrations and seeders.
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { PROJECT_ROOT } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import type { Logger } from '../utils/logger.js';
import { knexConfigFromUrl } from './dialects.js';

/**
 * Full Knex configuration for the database settings: connection, pool, TypeScript migrations
 * in src/database/migrations and seeders in src/seeders. Used by the app and by knexfile.js.
 *
 * @example
 * const config = databaseConfig(settings.database);
 */
export function databaseConfig(database: Settings['database'], root = PROJECT_ROOT, logger?: Logger): Knex.Config {
  return {
    // Knex's own warnings (e.g. failed connection attempts) go to the application log when one is given.
    log: logger
      ? {
          warn: (message: unknown) => logger.warn({ knex: message }, 'knex warning'),
          error: (message: unknown) => logger.error({ knex: message }, 'knex error'),
          deprecate: (method: string, alternative: string) =>
            logger.warn(`knex: ${method} is deprecated, use ${alternative}`),
          debug: (message: unknown) => logger.debug({ knex: message }, 'knex debug'),
        }
      : undefined,
    ...knexConfigFromUrl(database.url, {
      pool: database.pool,
      acquireTimeoutMs: database.acquireTimeoutMs,
      baseDir: root,
    }),
    migrations: {
      directory: join(root, 'src', 'database', 'migrations'),
      tableName: 'knex_migrations',
      extension: 'ts',
      loadExtensions: ['.ts'],
    },
    seeds: {
      directory: join(root, 'src', 'seeders'),
      extension: 'ts',
      loadExtensions: ['.ts'],
    },
  };
}

/**
 * @example
 * const db = createDatabase(settings.database, { logger });
 * await db.migrate.latest();
 */
export function createDatabase(database: Settings['database'], options: { root?: string; logger?: Logger } = {}): Knex {
  return knex(databaseConfig(database, options.root ?? PROJECT_ROOT, options.logger));
}
