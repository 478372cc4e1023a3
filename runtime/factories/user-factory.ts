// Users for tests and seeders: unique e-mail, password "password" (bcrypt at its minimum cost, hashed
// once per process: seeding thousands of users costs one hash; Hash.needsRehash upgrades it at login),
// and every field of the project's User model filled as its rules allow.
import { faker } from '@faker-js/faker';
import bcrypt from 'bcrypt';
import type { Model } from '../models/base-model.js';
import { User, type UserRecord } from '../models/user.js';
import { defineFactory, type FactoryBuilder } from './factory.js';

/** The password of every factory user. */
export const FACTORY_PASSWORD = 'password';

let sequence = Math.floor(Math.random() * 1_000_000);
let passwordHash: Promise<string> | undefined;

/** A new account's own columns: a name, an e-mail no other factory user has, active. */
function account(overrides: Record<string, unknown>): Record<string, unknown> {
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
}

/**
 * The factory of a project's users (src/factories/user-factory.ts), with its User model's fields;
 * `parents` gives the factories of the tables those fields' foreign keys point at.
 *
 * @example
 * export const userFactory = defineUserFactory(User, factoryRegistry);
 * const user = await userFactory(db).create({ name: 'Ada' });
 */
export function defineUserFactory<T extends UserRecord = UserRecord>(
  model: Model<T>,
  parents?: () => Record<string, FactoryBuilder>,
): FactoryBuilder<T> {
  const fields = defineFactory({ model, fields: model.fields, parents });
  return (db) => {
    const factory = fields(db);
    const create = async (overrides: Record<string, unknown> = {}) =>
      factory.create({
        password_hash: await (passwordHash ??= bcrypt.hash(FACTORY_PASSWORD, 4)),
        ...account(overrides),
      });
    return {
      make: (overrides = {}) => factory.make(account(overrides)),
      build: (overrides = {}) => factory.build(account(overrides)),
      create,
      async createMany(count, overrides = {}, options = {}) {
        const records: T[] = [];
        for (let i = 0; i < count; i++) {
          records.push(await create(overrides));
          options.progress?.tick();
        }
        options.progress?.done();
        return records;
      },
    };
  };
}

/** Users with authentication's columns only (a project's own factory adds its User model's fields). */
export const userFactory: FactoryBuilder<UserRecord> = defineUserFactory(User);
