// Model factories for tests and seeders: records whose every field satisfies its rules, with parent
// records created (or found) for foreign keys.
import { faker } from '@faker-js/faker';
import type { Knex } from 'knex';
import { fakeValue } from '../fields/fake.js';
import type { FieldDefinition, ForeignKey } from '../fields/spec.js';
import type { BaseRecord, Model } from '../models/base-model.js';
import type { PivotTable } from '../models/relation.js';
import { BaseRepository } from '../repositories/base-repository.js';
import type { Progress } from '../utils/progress.js';

export interface Factory<T extends BaseRecord = BaseRecord> {
  /** Attributes for a new record (not saved); foreign keys are left to `create`. */
  make(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Attributes with foreign keys resolved (parents created as needed), not saved: a valid request body. */
  build(overrides?: Record<string, unknown>): Promise<Record<string, unknown>>;
  create(overrides?: Record<string, unknown>): Promise<T>;
  /**
   * `count` records; `progress` hears of each (seeders show it for large counts). `parents:
   * 'existing'` (seeders) attaches each record to a random live row of each parent table where there
   * is one, instead of creating a parent per record.
   */
  createMany(count: number, overrides?: Record<string, unknown>, options?: CreateManyOptions): Promise<T[]>;
}

export interface CreateManyOptions {
  progress?: Progress;
  /** `new` (the default): a parent made per record; `existing`: a random live parent row where there is one. */
  parents?: 'new' | 'existing';
}

/** How many of a parent table's ids `parents: 'existing'` picks from. */
const EXISTING_PARENTS = 1000;

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
    /** The columns that need a parent record: the fields' foreign keys, and an owned model's owner (a user). */
    const foreignKeys: Array<[string, ForeignKey]> = Object.entries({
      ...Object.fromEntries(
        definition.fields.flatMap((field) => (field.rules.foreign ? [[field.name, field.rules.foreign]] : [])),
      ),
      ...definition.model.references,
    });
    // A request body never holds the owner (the token gives it): `build` leaves it to `create`.
    const bodyKeys = foreignKeys.filter(([name]) => name !== definition.model.owner);

    async function parentId(name: string, { table, column }: ForeignKey): Promise<unknown> {
      const parent = definition.parents?.()[table];
      if (parent) return ((await parent(db).create()) as unknown as Record<string, unknown>)[column];
      const existing: Record<string, unknown> | undefined = await db(table).orderBy(column, 'asc').first(column);
      if (existing) return existing[column];
      throw new Error(
        `${definition.model.name} factory: ${name} refers to ${table}.${column}, which has no factory and no rows; create a ${table} row first or pass ${name}`,
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

    const resolve = async (attributes: Record<string, unknown>, keys: typeof foreignKeys) => {
      for (const [name, key] of keys) if (!(name in attributes)) attributes[name] = await parentId(name, key);
      return attributes;
    };
    const build = (overrides: Record<string, unknown> = {}) => resolve(make(overrides), bodyKeys);
    const create = async (overrides: Record<string, unknown> = {}) =>
      repository.create(await resolve(make(overrides), foreignKeys));

    /** Overrides giving each foreign key a random live row of its table, where the table has any. */
    const existingParents = async (overrides: Record<string, unknown>) => {
      const choices = new Map<string, unknown[]>();
      for (const [name, { table, column }] of foreignKeys) {
        if (name in overrides) continue;
        const query = db(table).select(column).orderBy(column, 'asc').limit(EXISTING_PARENTS);
        // A soft-deleted parent is one the API does not show: never attach to it.
        if (await db.schema.hasColumn(table, 'deleted_at')) query.whereNull('deleted_at');
        const ids = ((await query) as Array<Record<string, unknown>>).map((row) => row[column]);
        if (ids.length > 0) choices.set(name, ids);
      }
      return () => ({
        ...Object.fromEntries([...choices].map(([name, ids]) => [name, ids[faker.number.int(ids.length - 1)]])),
        ...overrides,
      });
    };

    return {
      make,
      build,
      create,
      async createMany(count, overrides = {}, options = {}) {
        const records: T[] = [];
        const next = options.parents === 'existing' ? await existingParents(overrides) : () => overrides;
        for (let i = 0; i < count; i++) {
          records.push(await create(next()));
          options.progress?.tick();
        }
        options.progress?.done();
        return records;
      },
    };
  };
}

/**
 * Links each record to some of the live rows of another table through a pivot (seeders of a
 * belongsToMany): up to `most` distinct ones each, chosen at random among at most 1,000 of them.
 *
 * @example
 * await linkExisting(knex, posts, { table: 'post_tag', key: 'post_id', relatedKey: 'tag_id' }, 'tags');
 */
export async function linkExisting(
  db: Knex,
  records: readonly BaseRecord[],
  pivot: PivotTable,
  related: string,
  most = 3,
): Promise<void> {
  const query = db(related).select('id').orderBy('id', 'asc').limit(EXISTING_PARENTS);
  if (await db.schema.hasColumn(related, 'deleted_at')) query.whereNull('deleted_at');
  const ids = ((await query) as Array<{ id: unknown }>).map((row) => row.id);
  if (ids.length === 0) return;
  const rows = records.flatMap((record) =>
    faker.helpers
      .arrayElements(ids, { min: 0, max: Math.min(most, ids.length) })
      .map((id) => ({ [pivot.key]: record.id, [pivot.relatedKey]: id })),
  );
  // In chunks: SQLite takes at most 999 bound values per statement.
  for (let start = 0; start < rows.length; start += 400) await db(pivot.table).insert(rows.slice(start, start + 400));
}
