// Users for tests and seeders: unique e-mail, password "password" (bcrypt at its minimum cost, hashed
// once per process: seeding thousands of users costs one hash; Hash.needsRehash upgrades it at login).
import { faker } from '@faker-js/faker';
import type { Knex } from 'knex';
import bcrypt from 'bcrypt';
import { User, type UserRecord } from '../models/user.js';
import { BaseRepository } from '../repositories/base-repository.js';
import type { Factory } from './factory.js';

/** The password of every factory user. */
export const FACTORY_PASSWORD = 'password';

let sequence = Math.floor(Math.random() * 1_000_000);
let passwordHash: Promise<string> | undefined;

/**
 * @example
 * const user = await userFactory(db).create({ name: 'Ada' });
 */
export function userFactory(db: Knex): Factory<UserRecord> {
  const users = new BaseRepository(db, User);
  const make = (overrides: Record<string, unknown> = {}) => {
    sequence += 1;
    return {
      name: faker.person.fullName(),
      email: `${faker.internet
        .username()
        .toLowerCase()
        .replace(/[^a-z0-9._-]/g, '')}.${sequence}@example.com`,
      is_active: true,
      ...overrides,
    };
  };
  const create = async (overrides: Record<string, unknown> = {}) =>
    users.create({ password_hash: await (passwordHash ??= bcrypt.hash(FACTORY_PASSWORD, 4)), ...make(overrides) });
  return {
    make,
    build: async (overrides = {}) => make(overrides),
    create,
    async createMany(count, overrides = {}, options = {}) {
      const records: UserRecord[] = [];
      for (let i = 0; i < count; i++) {
        records.push(await create(overrides));
        options.progress?.tick();
      }
      options.progress?.done();
      return records;
    },
  };
}
