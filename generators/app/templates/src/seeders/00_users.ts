// Seeds users (password "password"): npx knex seed:run, or fastpy db:seed --seeder User --count 50.
import type { Knex } from 'knex';
import { userFactory } from '../factories/user-factory.js';
import { progress } from 'fastpy-runtime/utils';

export async function seed(knex: Knex): Promise<void> {
  const count = Number(process.env.SEED_COUNT ?? 10);
  await userFactory(knex).createMany(count, {}, { progress: progress('Seeding users', count) });
}
