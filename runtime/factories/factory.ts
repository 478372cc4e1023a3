// Model factories for tests and seeders: records whose every field satisfies its rules, with parent
// records created (or found) for foreign keys.
import { faker } from '@faker-js/faker';
import type { Knex } from 'knex';
import { fakeValue } from '../fields/fake.js';
import type { FieldDefinition } from '../fields/spec.js';
import type { BaseRecord, Model } from '../models/base-model.js';
import { BaseRepository } from '../repositories/base-repository.js';
import type { Progress } from '../utils/progress.js';

export interface Factory<T extends BaseRecord = BaseRecord> {
  /** Attributes for a new record (not saved); foreign keys are left to `create`. */
  make(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Attributes with foreign keys resolved (parents created as needed), not saved: a valid request body. */
  build(overrides?: Record<string, unknown>): Promise<Record<string, unknown>>;
  create(overrides?: Record<string, unknown>): Promise<T>;
  /** `count` records; `progress` hears of each (seeders show it for large counts). */
  createMany(count: number, overrides?: Record<string, unknown>, options?: { progress?: Progress }): Promise<T[]>;
}

/** Builds a factory on a database. */
export type FactoryBuilder<T extends BaseRecord = BaseRecord> = (db: Knex) => Factory<T>;

export interface FactoryDefinition<T extends BaseRecord> {
  model: Model<T>;
  fields: readonly FieldDefinition[];
  /** Factories by table, to create parents for foreign keys (read lazily: the registry imports this). */
  parents?: () => Record<string, FactoryBuilder>;
}

// Starts at a random offset so records made by separate runs (seeding twice) do not clash on unique fields.
let sequence = Math.floor(Math.random() * 1_000_000);

/**
 * @example
 * export const postFactory = defineFactory({ model: Post, fields: postFields, parents: () => factories });
 * const post = await postFactory(db).create({ title: 'Fixed title' });
 */
export function defineFactory<T extends BaseRecord>(definition: FactoryDefinition<T>): FactoryBuilder<T> {
  return (db) => {
    const repository = new BaseRepository(db, definition.model);

    async function parentId(field: FieldDefinition): Promise<unknown> {
      const { table, column } = field.rules.foreign!;
      const parent = definition.parents?.()[table];
      if (parent) return ((await parent(db).create()) as unknown as Record<string, unknown>)[column];
      const existing = await db(table).orderBy(column, 'asc').first(column);
      if (existing) return existing[column];
      throw new Error(
        `${definition.model.name} factory: ${field.name} refers to ${table}.${column}, which has no factory and no rows; create a ${table} row first or pass ${field.name}`,
      );
    }

    const make = (overrides: Record<string, unknown> = {}) => {
      sequence += 1;
      const attributes: Record<string, unknown> = {};
      for (const field of definition.fields) {
        if (field.name in overrides) continue;
        const value = fakeValue(field, faker, sequence);
        if (value !== undefined) attributes[field.name] = value;
      }
      return { ...attributes, ...overrides };
    };

    const build = async (overrides: Record<string, unknown> = {}) => {
      const attributes = make(overrides);
      for (const field of definition.fields) {
        if (field.rules.foreign && !(field.name in attributes)) attributes[field.name] = await parentId(field);
      }
      return attributes;
    };

    const create = async (overrides: Record<string, unknown> = {}) => repository.create(await build(overrides));

    return {
      make,
      build,
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
