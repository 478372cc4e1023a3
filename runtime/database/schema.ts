// Column helpers for migrations: the columns every model table has, the same on every driver.
import type { Knex } from 'knex';
import { dialectOf } from './dialects.js';

/**
 * `created_at` and `updated_at` (UTC, millisecond precision, set by default) and `deleted_at`
 * (soft delete, indexed because every default query filters on it).
 *
 * @example
 * await knex.schema.createTable('posts', (table) => {
 *   table.increments('id');
 *   table.string('title', 200).notNullable();
 *   modelTimestamps(knex, table);
 * });
 */
export function modelTimestamps(knex: Knex, table: Knex.CreateTableBuilder): void {
  const now = dialectOf(knex).currentTimestamp(knex);
  table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(now);
  table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().defaultTo(now);
  table.timestamp('deleted_at', { useTz: true, precision: 3 }).nullable().index();
}

/**
 * Stops a migration that makes a column required while rows have no value in it, saying how many
 * and what to do (a NOT NULL change would fail with the database's own, vaguer error).
 *
 * @example
 * await requireValues(knex, 'posts', 'subtitle');
 */
export async function requireValues(knex: Knex, table: string, column: string): Promise<void> {
  const [row] = await knex(table).whereNull(column).count<Array<{ count: number | string | bigint }>>({ count: '*' });
  const missing = Number(row?.count ?? 0);
  if (missing > 0) {
    throw new Error(
      `${table}.${column} becomes required, but ${missing} row${missing === 1 ? ' has' : 's have'} no value in it: give ${missing === 1 ? 'it' : 'them'} one (or give the field a default) and migrate again. Nothing was changed.`,
    );
  }
}

/**
 * Gives rows without a value in a column the field's default, before the column becomes required.
 *
 * @example
 * await fillMissing(knex, 'posts', 'status', 'draft');
 */
export async function fillMissing(knex: Knex, table: string, column: string, value: unknown): Promise<void> {
  // JSON defaults are stored as their text; raw expressions (the current time) and scalars as they are.
  const stored = typeof value === 'object' && value !== null && !isRaw(value) ? JSON.stringify(value) : value;
  await knex(table)
    .whereNull(column)
    .update({ [column]: stored as Knex.Value });
}

function isRaw(value: object): value is Knex.Raw {
  return typeof (value as { toSQL?: unknown }).toSQL === 'function';
}
