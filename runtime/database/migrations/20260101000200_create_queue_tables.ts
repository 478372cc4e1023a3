// The Queue facade's database driver: jobs waiting (or delayed, or reserved by a worker) and jobs
// that failed for good. Times are epoch milliseconds, compared the same way on every database.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('jobs', (table) => {
    table.string('id', 36).primary();
    table.string('queue', 100).notNullable();
    table.text('payload', 'mediumtext').notNullable();
    table.integer('attempts').unsigned().notNullable().defaultTo(0);
    table.bigInteger('available_at').notNullable();
    table.bigInteger('reserved_at').nullable();
    table.bigInteger('created_at').notNullable();
    table.index(['queue', 'available_at']);
  });
  await knex.schema.createTable('failed_jobs', (table) => {
    table.string('id', 36).primary();
    table.string('queue', 100).notNullable();
    table.text('payload', 'mediumtext').notNullable();
    table.text('error').notNullable();
    table.bigInteger('failed_at').notNullable();
    table.index(['failed_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('failed_jobs');
  await knex.schema.dropTableIfExists('jobs');
}
