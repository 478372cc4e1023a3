// The helpers a migration that changes a table runs, on every database: changeSchema (one transaction
// where the database has transactional DDL), requireValues (a stop that counts the rows without a
// value) and fillMissing (the default written into them); and the project's `inspect` task.
import test from 'ava';
import knex, { type Knex } from 'knex';
import { inspectDatabase } from '../../runtime/console-tasks.js';
import { dialectOf, knexConfigFromUrl } from '../../runtime/database/dialects.js';
import { fillMissing, requireValues } from '../../runtime/database/schema.js';
import { DATABASE_URLS, testDrivers } from '../helpers/databases.js';

const MIGRATIONS = new URL('../../runtime/database/migrations', import.meta.url).pathname;

for (const driver of testDrivers()) {
  const table = `schema_change_${Math.random().toString(36).slice(2, 8)}`;
  let db: Knex;

  test.before(async () => {
    // The runtime's migrations, recorded in a table of this test's own (the shared database keeps its knex_migrations).
    db = knex({
      ...knexConfigFromUrl(DATABASE_URLS[driver]),
      migrations: { directory: MIGRATIONS, tableName: `${table}_migrations`, loadExtensions: ['.ts'] },
    });
    await db.schema.createTable(table, (builder) => {
      builder.increments('id');
      builder.string('title').nullable();
      builder.string('status').nullable();
      builder.jsonb('meta').nullable();
    });
    await db(table).insert([
      { title: 'a', status: null, meta: null },
      { title: null, status: 'draft', meta: null },
      { title: null, status: null, meta: null },
    ]);
  });

  test.after.always(async () => {
    await db?.schema.dropTableIfExists(table);
    await db?.schema.dropTableIfExists(`${table}_migrations`);
    await db?.schema.dropTableIfExists(`${table}_migrations_lock`);
    await db?.destroy();
  });

  test.serial(
    `${driver}: requireValues stops with the count of rows without a value, and passes when there are none`,
    async (t) => {
      const error = await t.throwsAsync(requireValues(db, table, 'title'));
      t.is(
        error.message,
        `${table}.title becomes required, but 2 rows have no value in it: give them one (or give the field a default) and migrate again. Nothing was changed.`,
      );
      await t.notThrowsAsync(requireValues(db, table, 'id'));
    },
  );

  test.serial(
    `${driver}: fillMissing gives rows without a value the default, JSON included, and leaves the others`,
    async (t) => {
      await fillMissing(db, table, 'status', 'published');
      await fillMissing(db, table, 'meta', { tags: ['x'] });
      const rows = await db(table).select('status', 'meta').orderBy('id');
      t.deepEqual(
        rows.map((row) => row.status),
        ['published', 'draft', 'published'],
      );
      t.deepEqual(
        rows.map((row) => (typeof row.meta === 'string' ? JSON.parse(row.meta) : row.meta)),
        [{ tags: ['x'] }, { tags: ['x'] }, { tags: ['x'] }],
      );
    },
  );

  test.serial(
    `${driver}: changeSchema runs the steps; a failing step ${driver === 'postgresql' ? 'undoes the ones before it' : 'stops the rest'}`,
    async (t) => {
      await dialectOf(db).changeSchema(db, async (trx) => {
        await trx.schema.alterTable(table, (builder) => builder.renameColumn('status', 'state'));
        await trx.schema.alterTable(table, (builder) => builder.integer('views').notNullable().defaultTo(0));
      });
      t.true(await db.schema.hasColumn(table, 'state'));
      t.deepEqual(
        (await db(table).select('views')).map((row) => row.views),
        [0, 0, 0],
      );
      const failing = dialectOf(db).changeSchema(db, async (trx) => {
        await trx.schema.alterTable(table, (builder) => builder.renameColumn('state', 'phase'));
        await requireValues(trx, table, 'title');
      });
      await t.throwsAsync(failing, { message: /2 rows have no value/ });
      // PostgreSQL's DDL is transactional: the rename before the failing check is undone with it.
      if (driver === 'postgresql') t.true(await db.schema.hasColumn(table, 'state'));
    },
  );

  test.serial(`${driver}: inspect tells which migrations ran and a table's rows without a value`, async (t) => {
    const inspection = await inspectDatabase(db, table, ['title', 'nope']);
    t.deepEqual(inspection.table, { rows: 3, withoutValue: { title: 2 } });
    t.deepEqual((await inspectDatabase(db, `${table}_missing`, ['title'])).table, null);
    t.deepEqual(inspection.migrations.run, []);
    t.true(
      inspection.migrations.pending.includes('20260101000000_create_users_table.ts'),
      inspection.migrations.pending.join(', '),
    );
  });
}
