// The Notify facade's database channel: one row per notification per recipient, read or unread.
import type { Knex } from 'knex';
import { dialectOf } from 'fastpy-runtime/database';

export async function up(knex: Knex): Promise<void> {
  const now = dialectOf(knex).currentTimestamp(knex);
  await knex.schema.createTable('notifications', (table) => {
    table.string('id', 36).primary();
    table.string('type', 150).notNullable();
    table.string('notifiable_type', 100).notNullable();
    table.string('notifiable_id', 64).notNullable();
    table.text('data').notNullable();
    table.timestamp('read_at', { useTz: true, precision: 3 }).nullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(now);
    table.index(['notifiable_type', 'notifiable_id', 'read_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('notifications');
}
