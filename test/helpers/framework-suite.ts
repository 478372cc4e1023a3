// The framework's HTTP behaviour on every database, as a project meets it: a suite body runs once
// per driver, on a database of its own (a temporary SQLite file, or a database made on the server
// and dropped after), migrated with the runtime's migrations, through fastpy-runtime/testing's kit
// with the settings a project's .env.test gives.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import dotenv from 'dotenv';
import ejs from 'ejs';
import type { Knex } from 'knex';
import type { Driver } from '../../runtime/database/dialects.js';
import { authRoutes } from '../../runtime/routes/auth.js';
import { createTestKit, type TestKit, type TestKitOptions } from '../../runtime/testing/kit.js';
import { databaseUrl, recreateDatabase, REDIS_URL, testDrivers } from './databases.js';

const MIGRATIONS = new URL('../../runtime/database/migrations', import.meta.url).pathname;

type Implementation = (t: ExecutionContext) => Promise<void> | void;

export interface DatabaseSuite extends TestKit {
  driver: Driver;
  /** The suite's database URL. */
  url: string;
  /** The suite's database, made and migrated on the first call (closed and dropped after the suite). */
  ready: () => Promise<Knex>;
  /** Registers a test titled with the driver (hooks are ava's own: test.before, test.after.always). */
  it: (title: string, implementation: Implementation) => void;
}

const ENV_TEST_TEMPLATE = new URL('../../generators/app/templates/.env.test.ejs', import.meta.url);

/** What a generated project's .env.test sets (its template, rendered), on the suite's database. */
function projectTestEnv(driver: Driver, url: string): Record<string, string> {
  const rendered = ejs.render(readFileSync(ENV_TEST_TEMPLATE, 'utf8'), {
    driver,
    testDatabaseUrl: url,
    redis: true,
    redisUrl: REDIS_URL,
  });
  return dotenv.parse(rendered);
}

/**
 * Runs `suite` once per test database (FASTPY_TEST_DATABASES), on a database named after `purpose`.
 * The kit mounts the auth routes as a new project does; `options` adds to the kit's.
 */
export function onEveryDatabase(
  purpose: string,
  suite: (context: DatabaseSuite) => void,
  options: Omit<TestKitOptions, 'loadEnv' | 'migrations'> = {},
): void {
  if (!/^\w+$/.test(purpose)) throw new TypeError(`onEveryDatabase(): "${purpose}" is not a plain name`);
  for (const driver of testDrivers()) {
    const name = `fastpy_${purpose}_${process.pid}`;
    const file = join(tmpdir(), `${name}.db`);
    const url = driver === 'sqlite' ? `sqlite:${file}` : databaseUrl(driver, name);
    const kit = createTestKit({
      routes: [authRoutes],
      ...options,
      env: { ...projectTestEnv(driver, url), ...options.env },
      loadEnv: false,
      migrations: MIGRATIONS,
    });
    let made: Promise<Knex> | undefined;
    const ready = () =>
      (made ??= (async () => {
        if (driver === 'sqlite') rmSync(file, { force: true });
        else await recreateDatabase(driver, name);
        return kit.migratedDatabase();
      })());
    test.after.always(async () => {
      if (made) await (await made.catch(() => undefined))?.destroy();
      if (driver === 'sqlite') rmSync(file, { force: true });
      else await recreateDatabase(driver, name, true).catch(() => undefined);
    });
    suite({
      ...kit,
      driver,
      url,
      ready,
      it: (title, implementation) => test(`${driver}: ${title}`, implementation),
    });
  }
}
