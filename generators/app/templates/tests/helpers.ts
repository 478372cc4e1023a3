// Test helpers: settings from .env.test, a migrated database, and the app run in-process.
import { randomUUID } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import type { Knex } from 'knex';
import supertest from 'supertest';
import { createApp, type CreateAppOptions } from 'fastpy-runtime';
import { loadEnvFiles, loadSettings, PROJECT_ROOT, type Settings } from 'fastpy-runtime/config';
import { SETTINGS_DEFAULTS } from '../src/config/index.js';
import { createDatabase } from 'fastpy-runtime/database';
import { FACTORY_PASSWORD, userFactory } from 'fastpy-runtime/factories';
import { middleware } from '../src/middleware/index.js';
import { routes } from '../src/routes/index.js';
import { createLogger } from 'fastpy-runtime/utils';

// .env.test (and TEST_DATABASE_URL) into process.env, once for the whole test file.
process.env.NODE_ENV = 'test';
loadEnvFiles(PROJECT_ROOT);

export const silentLogger = createLogger({ level: 'silent' });

/** Test settings (.env.test), with some variables overridden. */
export function testSettings(overrides: Record<string, string> = {}): Settings {
  return loadSettings({ ...process.env, ...overrides }, SETTINGS_DEFAULTS);
}

/** A database on the test settings, migrated to the latest schema. */
export async function migratedDatabase(settings: Settings = testSettings()): Promise<Knex> {
  const db = createDatabase(settings.database, { logger: silentLogger });
  await db.migrate.latest();
  return db;
}

/** The app with the project's routes (plus any given) on the given database, with a silent logger unless one is given. */
export function buildApp(options: Partial<CreateAppOptions> & { db: Knex }) {
  return createApp({
    settings: options.settings ?? testSettings(),
    logger: silentLogger,
    middleware,
    ...options,
    routes: [...routes, ...(options.routes ?? [])],
  });
}

/** An access token of a new active user, for protected routes. */
export async function accessToken(db: Knex): Promise<string> {
  const user = await userFactory(db).create();
  const response = await client(buildApp({ db }))
    .post('/api/auth/login/json')
    .send({ email: user.email, password: FACTORY_PASSWORD });
  if (response.status !== 200) throw new Error(`accessToken(): login failed: ${JSON.stringify(response.body)}`);
  return response.body.data.access_token as string;
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
  t.is(response.status, status, JSON.stringify(response.body));
  t.is(response.body.success, false);
  t.is(response.body.error_code, code);
  t.is(typeof response.body.message, 'string');
  t.is(response.body.request_id, response.headers['x-request-id']);
  t.regex(String(response.body.timestamp), /^\d{4}-\d{2}-\d{2}T.*Z$/);
}
