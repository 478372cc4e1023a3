// The users table: e-mail unique (stored lower-cased, so unique case-insensitively), a password
// hash, activation and verification state, timestamps and soft delete.
import type { Knex } from 'knex';
import { modelTimestamps } from 'fastpy-runtime/database';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (table) => {
    table.increments('id').primary();
    table.string('name', 255).notNullable();
    table.string('email', 255).notNullable().unique();
    table.string('password_hash', 255).notNullable();
    table.boolean('is_active').notNullable().defaultTo(true);
    table.timestamp('email_verified_at', { useTz: true, precision: 3 }).nullable();
    modelTimestamps(knex, table);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('users');
}
