// The test kit a project's tests (and the runtime's own) build on: settings from .env.test, a
// migrated database, the app run in-process with the project's middleware and routes, a signed-in
// user's token, a supertest client and the error-envelope assertion (needs ava and supertest).
import { randomUUID } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import type { Middleware } from 'koa';
import type { Knex } from 'knex';
import supertest from 'supertest';
import {
  configureFacades,
  createApp,
  type CreateAppOptions,
  type RouteFactory,
  type RuntimeFacades,
  type RuntimeMiddleware,
} from '../app.js';
import { PROJECT_ROOT } from '../config/paths.js';
import { loadEnvFiles } from '../config/env.js';
import { loadSettings, type Settings, type SettingsDefaults } from '../config/settings.js';
import { createDatabase } from '../database/connection.js';
import type { FactoryBuilder } from '../factories/factory.js';
import { defineUserFactory, FACTORY_PASSWORD } from '../factories/user-factory.js';
import type { Model } from '../models/base-model.js';
import { User, type UserRecord } from '../models/user.js';
import { createLogger } from '../utils/logger.js';

/** A logger that writes nothing, for apps and databases under test. */
export const silentLogger = createLogger({ level: 'silent' });

export interface TestKitOptions {
  /** The project's settings defaults (src/config: SETTINGS_DEFAULTS). */
  defaults?: SettingsDefaults;
  /** The project's own middleware, as createApp() takes it. */
  middleware?: Middleware[];
  /** The project's routers; buildApp() mounts these plus any it is given. */
  routes?: RouteFactory[];
  /** Variables over process.env for every testSettings() (DATABASE_URL of a suite's own database, say). */
  env?: Record<string, string>;
  /** The project root: its .env.test is loaded and its migrations run (default: the current project). */
  root?: string;
  /** Read the root's .env files into process.env (default true; false for a suite that sets `env`). */
  loadEnv?: boolean;
  /** The migrations directory (default: the root's src/database/migrations). */
  migrations?: string;
  /** The project's User model (src/models/user.ts): the apps' auth reads and writes users with it. */
  users?: Model<UserRecord>;
  /** The factory accessToken() makes its users with (default: one on `users`). */
  userFactory?: FactoryBuilder<UserRecord>;
  /** The project's facades (src/bootstrap.ts), for the apps' auth and uploads: yours when ejected. */
  facades?: Partial<RuntimeFacades>;
  /** The project's built-in middleware (src/middleware/index.ts), for the apps: yours when ejected. */
  stack?: Partial<RuntimeMiddleware>;
}

export interface TestKit {
  /** Test settings (.env.test and `env`), with some variables overridden. */
  testSettings: (overrides?: Record<string, string>) => Settings;
  /** A database on the test settings, migrated to the latest schema. */
  migratedDatabase: (settings?: Settings) => Promise<Knex>;
  /** The app with the kit's routes (plus any given) on the given database, with a silent logger unless one is given. */
  buildApp: (options: Partial<CreateAppOptions> & { db: Knex }) => ReturnType<typeof createApp>;
  /** An access token of a new active user, for protected routes (`{ role: 'admin' }` for an admin's). */
  accessToken: (db: Knex, user?: Partial<UserRecord>) => Promise<string>;
  /** Settings whose DATABASE_URL reaches no server of the test driver (a short acquire timeout), and a pool on them: destroy it after. */
  unreachableDatabase: () => { settings: Settings; db: Knex };
}

export function createTestKit(options: TestKitOptions = {}): TestKit {
  const root = options.root ?? PROJECT_ROOT;
  process.env.NODE_ENV = 'test';
  if (options.loadEnv ?? true) loadEnvFiles(root);

  const testSettings = (overrides: Record<string, string> = {}): Settings =>
    loadSettings({ ...process.env, ...options.env, ...overrides }, options.defaults);
  // The kit is the tests' composition root: the facades (#libs) follow the test settings, set once.
  configureFacades({ settings: testSettings() });

  const users = options.users ?? User;
  const userFactory = options.userFactory ?? defineUserFactory(users);
  const buildApp: TestKit['buildApp'] = (appOptions) =>
    createApp({
      settings: appOptions.settings ?? testSettings(),
      logger: silentLogger,
      users,
      middleware: options.middleware ?? [],
      facades: options.facades,
      stack: options.stack,
      ...appOptions,
      routes: [...(options.routes ?? []), ...(appOptions.routes ?? [])],
    });

  return {
    testSettings,
    buildApp,
    async migratedDatabase(settings = testSettings()) {
      const db = createDatabase(settings.database, { root, logger: silentLogger });
      await db.migrate.latest(options.migrations ? { directory: options.migrations } : undefined);
      return db;
    },
    unreachableDatabase() {
      const settings = testSettings({
        DATABASE_URL: unreachableDatabaseUrl(testSettings().database.driver),
        DB_ACQUIRE_TIMEOUT_MS: '1500',
      });
      return { settings, db: createDatabase(settings.database, { root, logger: silentLogger }) };
    },
    async accessToken(db, overrides) {
      const user = await userFactory(db).create(overrides);
      const response = await client(buildApp({ db }))
        .post('/api/auth/login/json')
        .send({ email: user.email, password: FACTORY_PASSWORD });
      if (response.status !== 200) throw new Error(`accessToken(): login failed: ${JSON.stringify(response.body)}`);
      return (response.body as { data: { access_token: string } }).data.access_token;
    },
  };
}

/** A supertest client for an app. */
export function client(app: ReturnType<typeof createApp>) {
  return supertest(app.callback());
}

/** A table name no other test uses (tests share the database on PostgreSQL and MySQL). */
export function uniqueTable(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
}

/** A DATABASE_URL on this driver where no database answers. */
export function unreachableDatabaseUrl(driver: Settings['database']['driver']): string {
  switch (driver) {
    case 'postgresql':
      return 'postgresql://nobody@127.0.0.1:1/none';
    case 'mysql':
      return 'mysql://nobody@127.0.0.1:1/none';
    default:
      return 'sqlite:/dev/null/app.db';
  }
}

/** Asserts a response is an error envelope with this status and code. */
export function assertError(t: ExecutionContext, response: supertest.Response, status: number, code: string): void {
  const body = response.body as Record<string, unknown>;
  t.is(response.status, status, JSON.stringify(body));
  t.is(body.success, false);
  t.is(body.error_code, code);
  t.is(typeof body.message, 'string');
  t.is(body.request_id, response.headers['x-request-id']);
  t.is(typeof body.timestamp, 'string');
  t.regex(body.timestamp as string, /^\d{4}-\d{2}-\d{2}T.*Z$/);
}
