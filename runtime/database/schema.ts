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
