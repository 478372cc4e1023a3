// An API as a generated project has it, in this process: the runtime's migrations, an `articles`
// table made from the generator's own column code for one field of every type, auth, and the
// resource's routes through ResourceController — on a database of its own (dropped by close()).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Router from '@koa/router';
import knex, { type Knex } from 'knex';
import { migrationColumn } from '../../lib/resource.js';
import { createApp, type CreateAppOptions, type RouteFactory } from '../../runtime/app.js';
import { requireAuth } from '../../runtime/auth/require-auth.js';
import { loadSettings, type Settings } from '../../runtime/config/settings.js';
import { ResourceController } from '../../runtime/controllers/resource-controller.js';
import { databaseConfig } from '../../runtime/database/connection.js';
import { dialectOf, knexConfigFromUrl, type Driver } from '../../runtime/database/dialects.js';
import { modelTimestamps } from '../../runtime/database/schema.js';
import { parseFieldSpecs } from '../../runtime/fields/spec.js';
import { Model, type BaseRecord } from '../../runtime/models/base-model.js';
import { User } from '../../runtime/models/user.js';
import { BaseRepository } from '../../runtime/repositories/base-repository.js';
import { authRoutes } from '../../runtime/routes/auth.js';
import { BaseService } from '../../runtime/services/base-service.js';
import { MemoryDisk } from '../../runtime/libs/storage/index.js';
import { createLogger } from '../../runtime/utils/logger.js';
import { databaseUrl, recreateDatabase } from './databases.js';
import { ALL_TYPES_FIELDS } from './fields.js';

export const ARTICLE_FIELDS = parseFieldSpecs(ALL_TYPES_FIELDS);
export const Article = new Model<BaseRecord>({ name: 'Article', table: 'articles', fields: ARTICLE_FIELDS });
const MIGRATIONS = new URL('../../runtime/database/migrations', import.meta.url).pathname;

/** Creates the runtime's tables and `articles` (columns exactly as the generated migration writes them). */
export async function migrateResourceDatabase(db: Knex): Promise<void> {
  await db.migrate.latest({ directory: MIGRATIONS, loadExtensions: ['.ts'] });
  const columns = ARTICLE_FIELDS.map((field) => migrationColumn(field));
  // The generator's column statements, run as a migration runs them (they are code, by design).
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const define = new Function('table', 'knex', 'dialectOf', columns.map((column) => `${column};`).join('\n')) as (
    table: Knex.CreateTableBuilder,
    db: Knex,
    dialect: typeof dialectOf,
  ) => void;
  await db.schema.createTable('articles', (table) => {
    table.increments('id').primary();
    define(table, db, dialectOf);
    modelTimestamps(db, table);
  });
}

/** The resource's routes, as the generated routes file mounts them (behind a bearer token). */
export const articleRoutes: RouteFactory = ({ db, auth, storage, settings }) => {
  const controller = new ResourceController({
    db,
    model: Article,
    fields: ARTICLE_FIELDS,
    service: new BaseService(new BaseRepository(db, Article)),
    uploads: { disk: storage, maxBytes: settings.uploadMaxBytes },
    auth,
    relations: { user: { field: 'user_id', column: 'id', model: User } },
  });
  const guard = requireAuth(auth);
  const router = new Router({ prefix: '/api/articles' });
  router.get('articles.index', '/', guard, controller.index);
  router.post('articles.store', '/', guard, controller.store);
  router.get('articles.show', '/:id', guard, controller.show);
  router.put('articles.replace', '/:id', guard, controller.replace);
  router.patch('articles.update', '/:id', guard, controller.update);
  router.delete('articles.destroy', '/:id', guard, controller.destroy);
  router.post('articles.restore', '/:id/restore', guard, controller.restore);
  router.delete('articles.force_destroy', '/:id/force', guard, controller.forceDestroy);
  router.post('articles.upload_attachment', '/:id/attachment', guard, ...controller.upload('attachment'));
  return router;
};

export interface ResourceApp {
  base: string;
  db: Knex;
  settings: Settings;
  server: Server;
  /** Registers a user and logs in: a bearer token. */
  token(email?: string): Promise<string>;
  /** A JSON request to the API (with the bearer token when given): its status and parsed body. */
  call: (method: string, path: string, token?: string, body?: unknown) => Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface ResourceAppOptions {
  driver: Driver;
  /** The database's name on a server (default fastpy_<purpose>_<pid>); ignored for SQLite (in memory). */
  database: string;
  /** Environment the settings are read from, over NODE_ENV=test and the database URL. */
  env?: Record<string, string>;
  /** A URL to reach the database by instead (a proxy in front of it), once the database is made. */
  connectUrl?: (url: string) => string;
  app?: Partial<CreateAppOptions>;
  /** Use an existing database (already migrated) instead of making one. */
  existing?: boolean;
}

/** Makes the database (unless `existing`), migrates it, and serves the API on a free port of 127.0.0.1. */
export async function startResourceApp(options: ResourceAppOptions): Promise<ResourceApp> {
  const { driver } = options;
  const url = driver === 'sqlite' ? 'sqlite::memory:' : databaseUrl(driver, options.database);
  if (driver !== 'sqlite' && !options.existing) await recreateDatabase(driver, options.database);
  // The app reaches the database as a generated project does (createDatabase: the settings' pool and timeouts).
  const settings = loadSettings({
    NODE_ENV: 'test',
    DATABASE_URL: options.connectUrl ? options.connectUrl(url) : url,
    RATE_LIMIT_ENABLED: 'false',
    ...options.env,
  });
  const logger = createLogger({ level: 'silent' });
  const db = knex(databaseConfig(settings.database, undefined, logger));
  if (!options.existing) {
    // Straight to the database (not through a proxy the test may cut); SQLite in memory is only reachable through `db`.
    const direct = driver === 'sqlite' ? db : knex(knexConfigFromUrl(url));
    try {
      await migrateResourceDatabase(direct);
    } finally {
      if (direct !== db) await direct.destroy();
    }
  }
  const app = createApp({
    settings,
    db,
    logger,
    storage: new MemoryDisk(),
    routes: [authRoutes, articleRoutes],
    ...options.app,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let users = 0;
  return {
    base,
    db,
    settings,
    server,
    async token(email = `user-${process.pid}-${++users}-${Date.now()}@example.com`) {
      const password = 'a good long password';
      const json = { 'content-type': 'application/json' };
      await fetch(`${base}/api/auth/register`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'Tester', email, password }),
      });
      const login = await fetch(`${base}/api/auth/login/json`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email, password }),
      });
      const body = (await login.json()) as { data?: { access_token?: string } };
      if (!body.data?.access_token) throw new Error(`could not log in: ${JSON.stringify(body)}`);
      return body.data.access_token;
    },
    call: async (method, path, token, body) => {
      const response = await fetch(base + path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as any };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.destroy();
      if (driver !== 'sqlite' && !options.existing)
        await recreateDatabase(driver, options.database, true).catch(() => undefined);
    },
  };
}
