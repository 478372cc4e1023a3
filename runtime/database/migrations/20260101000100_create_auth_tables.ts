// What authentication keeps: sessions (one per login; revoking one kills its access and refresh
// tokens), rotating refresh tokens and one-time tokens (password reset, e-mail verification), both
// stored as hashes, and recent login failures for lockout (shared by every app instance).
import type { Knex } from 'knex';
import { dialectOf } from 'fastpy-runtime/database';

export async function up(knex: Knex): Promise<void> {
  const now = dialectOf(knex).currentTimestamp(knex);
  const timestamp = (table: Knex.CreateTableBuilder, name: string) =>
    table.timestamp(name, { useTz: true, precision: 3 });

  await knex.schema.createTable('auth_sessions', (table) => {
    table.string('id', 36).primary();
    table.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    timestamp(table, 'created_at').notNullable().defaultTo(now);
    timestamp(table, 'last_used_at').nullable();
    timestamp(table, 'expires_at').notNullable();
    timestamp(table, 'revoked_at').nullable();
    table.string('revoked_reason', 50).nullable();
    table.string('user_agent', 255).nullable();
    table.string('ip', 45).nullable();
    table.index(['user_id']);
  });

  await knex.schema.createTable('refresh_tokens', (table) => {
    table.increments('id').primary();
    table.string('session_id', 36).notNullable().references('id').inTable('auth_sessions').onDelete('CASCADE');
    table.string('token_hash', 64).notNullable().unique();
    timestamp(table, 'created_at').notNullable().defaultTo(now);
    timestamp(table, 'expires_at').notNullable();
    timestamp(table, 'used_at').nullable();
    table.index(['session_id']);
  });

  await knex.schema.createTable('one_time_tokens', (table) => {
    table.increments('id').primary();
    table.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    table.string('purpose', 32).notNullable();
    table.string('token_hash', 64).notNullable().unique();
    timestamp(table, 'created_at').notNullable().defaultTo(now);
    timestamp(table, 'expires_at').notNullable();
    timestamp(table, 'used_at').nullable();
    table.index(['user_id', 'purpose']);
  });

  await knex.schema.createTable('login_failures', (table) => {
    table.increments('id').primary();
    table.string('key', 64).notNullable();
    timestamp(table, 'created_at').notNullable().defaultTo(now);
    table.index(['key', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('login_failures');
  await knex.schema.dropTableIfExists('one_time_tokens');
  await knex.schema.dropTableIfExists('refresh_tokens');
  await knex.schema.dropTableIfExists('auth_sessions');
}
