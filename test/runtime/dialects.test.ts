// Dialect behaviour against the real databases: constraint and connection errors classified the
// same way, and rows cast to the same JSON values on every driver.
import test from 'ava';
import knex, { type Knex } from 'knex';
import { classifyDatabaseError, dialectFor, dialectOf, driverOfUrl, knexConfigFromUrl, redactUrl, SqliteDialect } from '../../runtime/database/dialects.js';
import { modelTimestamps } from '../../runtime/database/schema.js';
import { Model, type BaseRecord } from '../../runtime/models/base-model.js';
import { DATABASE_URLS, testDrivers } from '../helpers/databases.js';

test('the URL scheme names the driver', (t) => {
  t.is(driverOfUrl('sqlite:./data/app.db'), 'sqlite');
  t.is(driverOfUrl('postgres://u@h/db'), 'postgresql');
  t.is(driverOfUrl('postgresql+asyncpg://u@h/db'), 'postgresql');
  t.is(driverOfUrl('mariadb://u@h/db'), 'mysql');
  t.throws(() => driverOfUrl('oracle://u:pw@h/db'), { message: 'DATABASE_URL "oracle://u:***@h/db" has an unknown scheme; use sqlite:, postgresql:// or mysql://' });
});

test('SQLite URLs: relative, absolute and in-memory', (t) => {
  t.is(SqliteDialect.filename('sqlite:./data/app.db', '/srv/api'), '/srv/api/data/app.db');
  t.is(SqliteDialect.filename('sqlite:///var/db/app.db', '/srv/api'), '/var/db/app.db');
  t.is(SqliteDialect.filename('sqlite::memory:'), ':memory:');
  t.throws(() => SqliteDialect.filename('sqlite:'), { message: /names no SQLite file/ });
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
      { code: 'a', flag: true, amount: '12345678901.25', big: '9007199254740993', day: '2026-03-01', at: '2026-11-27T10:00:00.123Z', meta: [1, { b: 2 }], created_at: new Date(), updated_at: new Date() },
      dialect,
    );
    const id = await dialect.insertId(db, samples, row);
    const record = Sample.fromRow(await dialect.exactIntegers(db(samples).where({ id })).first());
    t.like(record, { id, code: 'a', flag: true, amount: '12345678901.25', big: '9007199254740993', day: '2026-03-01', at: '2026-11-27T10:00:00.123Z', deleted_at: null });
    t.deepEqual(record.meta, [1, { b: 2 }]);
    t.regex(record.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

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
