// The database server as a new project meets it (runtime/database/server.ts), on real servers:
// creating the database a URL names (once; the second time it exists), and the one line that says
// why a database cannot be used — no server, a refused login, no such database, no right to create.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import knex from 'knex';
import { knexConfigFromUrl, type Driver } from '../../runtime/database/dialects.js';
import { createDatabaseCommand, databaseProblem, ensureDatabase } from '../../runtime/database/server.js';
import { DATABASE_URLS, databaseUrl, recreateDatabase, testDrivers } from '../helpers/databases.js';

const NAME = `fastpy_create_${process.pid}`;
const servers = testDrivers().filter((driver): driver is Exclude<Driver, 'sqlite'> => driver !== 'sqlite');

/** The error a first query gets on a URL. */
async function firstQueryError(url: string): Promise<unknown> {
  const quiet = () => undefined;
  const db = knex({
    ...knexConfigFromUrl(url, { acquireTimeoutMs: 5_000 }),
    log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
  });
  try {
    await db.raw('select 1');
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await db.destroy();
  }
}

test('SQLite: the file (and its folder) is made once; in memory there is nothing to make', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'fastpy-create-')), 'data', 'app.db');
  t.is(await ensureDatabase(`sqlite:${file}`), 'created');
  t.true(existsSync(file));
  t.is(await ensureDatabase(`sqlite:${file}`), 'exists');
  t.is(await ensureDatabase('sqlite::memory:'), 'in memory');
});

for (const driver of servers) {
  test.serial(`${driver}: the database is created, then found; the project's first query works`, async (t) => {
    await recreateDatabase(driver, NAME, true);
    t.teardown(() => recreateDatabase(driver, NAME, true));
    const url = databaseUrl(driver, NAME);
    t.regex(
      String(databaseProblem(await firstQueryError(url), url)),
      new RegExp(
        `^database "${NAME}" does not exist on the ${driver === 'mysql' ? 'MySQL' : 'PostgreSQL'} server at 127\\.0\\.0\\.1:\\d+: create it with fastpy db:create \\(or: ${driver === 'mysql' ? 'mysql' : 'createdb'} `,
      ),
    );
    t.is(await ensureDatabase(url), 'created');
    t.is(await ensureDatabase(url), 'exists');
    t.is(await firstQueryError(url), undefined);
  });

  test.serial(
    `${driver}: no server, a refused login and no right to create are each one line that says what to do`,
    async (t) => {
      const label = driver === 'mysql' ? 'MySQL' : 'PostgreSQL';
      const closed = DATABASE_URLS[driver].replace(/:(5432|3306)\//, ':1/');
      t.is(
        databaseProblem(await firstQueryError(closed), closed),
        `cannot reach the ${label} server at 127.0.0.1:1 (ECONNREFUSED): is it running, and is DATABASE_URL right?`,
      );
      await t.throwsAsync(ensureDatabase(closed.replace(/\/[^/]*$/, `/${NAME}`)));

      const badLogin = new URL(databaseUrl(driver, NAME));
      badLogin.username = 'fastpy_nobody';
      badLogin.password = 'wrong';
      const refused = await ensureDatabase(badLogin.toString()).then(
        () => undefined,
        (error: unknown) => error,
      );
      t.is(
        databaseProblem(refused, badLogin.toString()),
        `the ${label} server at ${badLogin.host} refused the login of "fastpy_nobody": check the user and password in DATABASE_URL`,
      );

      // A user who may log in but not create databases.
      const admin = knex(knexConfigFromUrl(DATABASE_URLS[driver]));
      t.teardown(() => admin.destroy());
      if (driver === 'postgresql') {
        await admin.raw(
          "do $$ begin if not exists (select from pg_roles where rolname = 'fastpy_nocreate') then create role fastpy_nocreate login nocreatedb; end if; end $$",
        );
      } else {
        await admin.raw("create user if not exists 'fastpy_nocreate'@'%'");
        await admin.raw("create user if not exists 'fastpy_nocreate'@'localhost'");
        await admin.raw("create user if not exists 'fastpy_nocreate'@'127.0.0.1'");
      }
      const limited = new URL(databaseUrl(driver, NAME));
      limited.username = 'fastpy_nocreate';
      limited.password = '';
      const denied = await ensureDatabase(limited.toString()).then(
        () => undefined,
        (error: unknown) => error,
      );
      t.is(
        databaseProblem(denied, limited.toString()),
        `"fastpy_nocreate" may not create databases on the ${label} server at ${limited.host}: ask for "${NAME}" to be made, or make it as a user who may: ${createDatabaseCommand(limited.toString(), 'admin')}`,
      );
    },
  );
}

test("the command to create a database by hand uses the server's own client", (t) => {
  t.is(
    createDatabaseCommand('postgresql://app:secret@db.example.com:6543/shop'),
    'createdb -h db.example.com -p 6543 -U app shop',
  );
  t.is(
    createDatabaseCommand('postgresql://app@db.example.com/shop', 'admin'),
    'createdb -h db.example.com -p 5432 -U postgres shop',
  );
  t.is(
    createDatabaseCommand('mysql://app@db.example.com/shop'),
    "mysql -h db.example.com -P 3306 -u app -p -e 'CREATE DATABASE `shop`'",
  );
  t.is(
    databaseProblem(new Error('syntax error at or near "selec"'), 'postgresql://app@db/shop'),
    undefined,
    'a failing query is not a database problem',
  );
});
