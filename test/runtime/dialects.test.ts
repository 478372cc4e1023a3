// Dialect behaviour against the real databases: constraint and connection errors classified the
// same way, and rows cast to the same JSON values on every driver.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import knex, { type Knex } from 'knex';
import {
  cacheStatements,
  classifyDatabaseError,
  dialectFor,
  dialectOf,
  driverOfUrl,
  driverPackageProblem,
  knexConfigFromUrl,
  redactUrl,
  SqliteDialect,
} from '../../runtime/database/dialects.js';
import { modelTimestamps } from '../../runtime/database/schema.js';
import { Model, type BaseRecord } from '../../runtime/models/base-model.js';
import { DATABASE_URLS, testDrivers } from '../helpers/databases.js';

test('the URL scheme names the driver', (t) => {
  t.is(driverOfUrl('sqlite:./data/app.db'), 'sqlite');
  t.is(driverOfUrl('postgres://u@h/db'), 'postgresql');
  t.is(driverOfUrl('postgresql+asyncpg://u@h/db'), 'postgresql');
  t.is(driverOfUrl('mariadb://u@h/db'), 'mysql');
  t.throws(() => driverOfUrl('oracle://u:pw@h/db'), {
    message: 'DATABASE_URL "oracle://u:***@h/db" has an unknown scheme; use sqlite:, postgresql:// or mysql://',
  });
});

test('SQLite URLs: relative, absolute and in-memory', (t) => {
  t.is(SqliteDialect.filename('sqlite:./data/app.db', '/srv/api'), '/srv/api/data/app.db');
  t.is(SqliteDialect.filename('sqlite:///var/db/app.db', '/srv/api'), '/var/db/app.db');
  t.is(SqliteDialect.filename('sqlite::memory:'), ':memory:');
  t.throws(() => SqliteDialect.filename('sqlite:'), { message: /names no SQLite file/ });
});

test('a database whose driver package is not installed is named, with the command that installs it', (t) => {
  const bare = mkdtempSync(join(tmpdir(), 'fastpy-no-drivers-'));
  writeFileSync(join(bare, 'package.json'), '{"name":"bare","type":"module"}');
  t.is(
    driverPackageProblem('postgresql://db/app', bare),
    'DATABASE_URL is a postgresql URL, but its driver package pg is not installed: run npm install pg',
  );
  t.is(
    driverPackageProblem('mysql://db/app', bare),
    'DATABASE_URL is a mysql URL, but its driver package mysql2 is not installed: run npm install mysql2',
  );
  const here = new URL('../..', import.meta.url).pathname;
  t.is(driverPackageProblem('postgresql://db/app', here), undefined);
  t.is(driverPackageProblem('sqlite:./data/app.db', here), undefined);
  t.is(driverPackageProblem('oracle://db/app', bare), undefined, "a bad URL is the settings' to report");
});

test('passwords never appear in messages', (t) => {
  t.is(redactUrl('postgresql://app:hunter2@db:5432/x'), 'postgresql://app:***@db:5432/x');
  t.is(redactUrl('sqlite:./a.db'), 'sqlite:./a.db');
});

interface Sample extends BaseRecord {
  code: string;
  flag: boolean;
  amount: string;
  big: string;
  day: string;
  at: string;
  meta: unknown;
  parent_id: number | null;
}

for (const driver of testDrivers()) {
  let db: Knex;
  const suffix = Math.random().toString(36).slice(2, 8);
  const parents = `dialect_parents_${suffix}`;
  const samples = `dialect_samples_${suffix}`;
  const Sample = new Model<Sample>({
    name: 'Sample',
    table: samples,
    casts: { flag: 'boolean', amount: 'decimal:2', big: 'bigint', day: 'date', at: 'datetime', meta: 'json' },
  });

  test.before(async () => {
    db = knex(knexConfigFromUrl(DATABASE_URLS[driver]));
    await db.schema.createTable(parents, (table) => table.increments('id'));
    await db.schema.createTable(samples, (table) => {
      table.increments('id');
      table.string('code', 20).notNullable().unique();
      table.boolean('flag').notNullable().defaultTo(false);
      table.decimal('amount', 15, 2).nullable();
      table.bigInteger('big').nullable();
      table.date('day').nullable();
      table.timestamp('at', { useTz: true, precision: 3 }).nullable();
      table.text('meta').nullable();
      table.integer('parent_id').unsigned().nullable().references('id').inTable(parents);
      modelTimestamps(db, table);
    });
  });

  test.after.always(async () => {
    await db?.schema.dropTableIfExists(samples);
    await db?.schema.dropTableIfExists(parents);
    await db?.destroy();
  });

  test.serial(`${driver}: dialectOf() knows the instance`, (t) => {
    t.is(dialectOf(db).driver, driver);
    t.is(dialectFor(driver).client, (db.client as { config: { client: string } }).config.client);
  });

  test.serial(`${driver}: a row reads back as the same JSON values`, async (t) => {
    const dialect = dialectOf(db);
    const row = Sample.toRow(
      {
        code: 'a',
        flag: true,
        amount: '12345678901.25',
        big: '9007199254740993',
        day: '2026-03-01',
        at: '2026-11-27T10:00:00.123Z',
        meta: [1, { b: 2 }],
        created_at: new Date(),
        updated_at: new Date(),
      },
      dialect,
    );
    const { id } = Sample.fromRow(await dialect.insertRow(db, samples, row));
    const record = Sample.fromRow(await dialect.exactIntegers(db(samples).where({ id })).first());
    t.like(record, {
      id,
      code: 'a',
      flag: true,
      amount: '12345678901.25',
      big: '9007199254740993',
      day: '2026-03-01',
      at: '2026-11-27T10:00:00.123Z',
      deleted_at: null,
    });
    t.deepEqual(record.meta, [1, { b: 2 }]);
    t.regex(record.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  test.serial(
    `${driver}: insertRow() returns the row as stored, defaults and exact 64-bit integers included`,
    async (t) => {
      const dialect = dialectOf(db);
      const stored = await dialect.insertRow(
        db,
        samples,
        Sample.toRow(
          { code: 'returned', big: '9007199254740993', created_at: new Date(), updated_at: new Date() },
          dialect,
        ),
        true,
      );
      const record = Sample.fromRow(stored);
      t.like(record, { code: 'returned', flag: false, big: '9007199254740993', amount: null, deleted_at: null });
      t.deepEqual(
        record,
        Sample.fromRow(await dialect.exactIntegers(db(samples).where({ id: record.id })).first()),
        'the same as reading it back',
      );
    },
  );

  test.serial(`${driver}: column defaults fill the timestamps`, async (t) => {
    await db(samples).insert({ code: 'defaults' });
    const record = Sample.fromRow(await db(samples).where({ code: 'defaults' }).first());
    t.false(record.flag);
    t.true(Math.abs(Date.parse(record.created_at) - Date.now()) < 120_000, record.created_at);
  });

  test.serial(`${driver}: unique, foreign key and not-null violations are classified`, async (t) => {
    await db(samples).insert({ code: 'dup' });
    const unique = await t.throwsAsync(db(samples).insert({ code: 'dup' }), { any: true });
    t.like(classifyDatabaseError(unique), { kind: 'unique_violation' });
    t.regex(String(classifyDatabaseError(unique)?.target), /code/);
    const foreign = await t.throwsAsync(db(samples).insert({ code: 'orphan', parent_id: 999_999 }), { any: true });
    t.like(classifyDatabaseError(foreign), { kind: 'foreign_key_violation' });
    const notNull = await t.throwsAsync(db(samples).insert({ code: null }), { any: true });
    t.like(classifyDatabaseError(notNull), { kind: 'not_null_violation' });
  });
}

for (const driver of testDrivers().filter((name) => name !== 'sqlite')) {
  test(`${driver}: an unreachable server is a connection error`, async (t) => {
    const url = DATABASE_URLS[driver].replace(/@[^/]+\//, '@127.0.0.1:1/');
    const lost = knex(knexConfigFromUrl(url, { acquireTimeoutMs: 2000 }));
    try {
      const error = await t.throwsAsync(lost.raw('select 1'), { any: true });
      t.like(classifyDatabaseError(error), { kind: 'connection' });
    } finally {
      await lost.destroy();
    }
  });
}

test('sqlite: a file that cannot be opened is a connection error', async (t) => {
  const lost = knex(knexConfigFromUrl('sqlite:/dev/null/app.db', { acquireTimeoutMs: 2000 }));
  try {
    const error = await t.throwsAsync(lost.raw('select 1'), { any: true });
    t.like(classifyDatabaseError(error), { kind: 'connection' });
  } finally {
    await lost.destroy();
  }
});

test('sqlite: a compiled statement is reused for the same SQL, and reuse changes no result', async (t) => {
  const db = knex(knexConfigFromUrl('sqlite::memory:'));
  t.teardown(() => db.destroy());
  await db.schema.createTable('notes', (table) => {
    table.increments('id');
    table.bigInteger('big');
  });
  const huge = 2n ** 60n;
  await db('notes').insert({ big: huge });
  await db('notes').insert({ big: 7 });
  const connection = (await db.client.acquireConnection()) as { prepare(sql: string): unknown };
  t.is(connection.prepare('select 1'), connection.prepare('select 1'), 'the same SQL text gets the same statement');
  t.not(connection.prepare('select 1'), connection.prepare('select 2'));
  await db.client.releaseConnection(connection);

  // 64-bit reads asked for by one query do not leak into the next run of the same SQL.
  const exact = await db('notes').select('big').orderBy('id').options({ safeIntegers: true });
  t.deepEqual(
    exact.map((row: { big: unknown }) => row.big),
    [huge, 7n],
  );
  const plain = await db('notes').select('big').orderBy('id');
  t.deepEqual(
    plain.map((row: { big: unknown }) => typeof row.big),
    ['number', 'number'],
  );

  // A schema change recompiles the cached statement: the new column is read.
  t.deepEqual(Object.keys(await db('notes').first()), ['id', 'big']);
  await db.schema.alterTable('notes', (table) => table.string('title').defaultTo('untitled'));
  t.deepEqual(await db('notes').first(), { id: 1, big: Number(huge), title: 'untitled' });

  // Writes through a reused statement: ids and changes are reported as on the first run.
  for (let round = 0; round < 3; round++) t.is((await db('notes').insert({ big: round }))[0], 3 + round);
  t.is(await db('notes').where('big', '<', 3).update({ title: 'small' }), 3);
});

test('sqlite: the statement cache keeps the most recently used statements up to its size', (t) => {
  const compiled: string[] = [];
  const connection = {
    name: ':memory:',
    pragma: () => undefined,
    prepare: (sql: string) => (compiled.push(sql), { sql, safeIntegers: () => undefined }),
  };
  cacheStatements(connection, 2);
  for (const sql of ['a', 'b', 'a', 'c', 'a', 'b']) connection.prepare(sql);
  // a, b compiled; a reused; c evicts b (a was used more recently); a reused; b compiled again.
  t.deepEqual(compiled, ['a', 'b', 'c', 'b']);
});
