// A role on users: `user` for everyone (existing rows too), `admin` for those who may see and change
// every record (requireRole('admin'); `fastpy user:admin <email>` makes one).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (table) => {
    table.string('role', 20).notNullable().defaultTo('user');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (table) => {
    table.dropColumn('role');
  });
}
