// Base repository: data access for one model with soft deletes filtered by default, pagination,
// and driver errors turned into the application's exceptions.
import type { Knex } from 'knex';
import { classifyDatabaseError, dialectOf, type Dialect } from '../database/dialects.js';
import type { BaseRecord, Model } from '../models/base-model.js';
import { isToMany, type Links, type Relation } from '../models/relation.js';
import {
  ConflictException,
  fieldErrors,
  NotFoundException,
  UnauthorizedException,
  ValidationException,
} from '../utils/exceptions.js';
import { pageOffset, paginationMeta, type PageParams, type PaginationMeta } from '../utils/pagination.js';

/** A row as the driver returns it. */
type Row = Record<string, unknown>;

/** Which rows a query sees: live ones (default), all, or only soft-deleted ones. */
export type TrashedScope = 'without' | 'with' | 'only';

export interface SortTerm {
  column: string;
  direction: 'asc' | 'desc';
}

export interface ListOptions extends PageParams {
  sort?: SortTerm[];
  /** Adds conditions (filters, search) to both the count and the page query. */
  where?: (query: Knex.QueryBuilder) => void;
}

export interface Page<T> {
  items: T[];
  pagination: PaginationMeta;
}

export type Attributes = Record<string, unknown>;

/**
 * Whom a repository (or service) works for. A signed-in user sees only their own records of an
 * owned model (Model.owner), an admin everyone's; `null` is a request nobody signed in to, which
 * sees none. Code that names no actor (jobs, seeders, console tasks) sees every record.
 */
export interface Actor {
  id: number;
  role?: string;
}

/** The role that sees and changes every owned record. */
export const ADMIN_ROLE = 'admin';

/** Whether a table soft-deletes (has deleted_at), asked once per database and table. */
const softDeleting = new WeakMap<Knex, Map<string, Promise<boolean>>>();
function softDeletes(db: Knex, table: string): Promise<boolean> {
  let tables = softDeleting.get(db);
  if (!tables) softDeleting.set(db, (tables = new Map<string, Promise<boolean>>()));
  let known = tables.get(table);
  if (!known) {
    known = db.schema.hasColumn(table, 'deleted_at');
    known.catch(() => tables.delete(table));
    tables.set(table, known);
  }
  return known;
}

/** The alias a belongsToMany query reads the pivot's key under. */
const PIVOT_KEY = 'fastpy_pivot_key';

/** A key column's value: ids are numbers, or strings (bigint, uuid). */
function keyOf(record: unknown, column: string): string | number | null | undefined {
  return (record as Record<string, string | number | null | undefined>)[column];
}

/**
 * Repository for one model. Subclass it per model and add queries of your own.
 *
 * @example
 * const posts = new BaseRepository(db, Post);
 * const post = await posts.create({ title: 'Hello' });
 * await posts.softDelete(post.id);
 * await posts.find(post.id);               // undefined
 * await posts.withTrashed().find(post.id); // the record, deleted_at set
 */
export class BaseRepository<TRecord extends BaseRecord = BaseRecord> {
  protected readonly dialect: Dialect;
  protected scope: TrashedScope = 'without';
  /** Whom its queries run for (see Actor); undefined: code, which sees every record. */
  protected actor?: Actor | null;

  constructor(
    protected readonly db: Knex,
    readonly model: Model<TRecord>,
  ) {
    this.dialect = dialectOf(db);
  }

  /** A view of this repository that also sees soft-deleted rows. */
  withTrashed(): this {
    return this.scoped('with');
  }

  /** A view of this repository that sees only soft-deleted rows. */
  onlyTrashed(): this {
    return this.scoped('only');
  }

  /** A view with the given trashed scope. */
  scoped(scope: TrashedScope): this {
    return scope === this.scope ? this : this.view({ scope });
  }

  /**
   * A view working for `actor`: on an owned model, only that user's records (an admin's: all; a
   * request without a user: none), and records it creates are theirs. Related records it loads
   * obey their own model's owner the same way.
   */
  actingFor(actor: Actor | null): this {
    return actor === this.actor ? this : this.view({ actor });
  }

  /** This repository with some of its state replaced: a subclass's own fields come along. */
  protected view(changes: { scope?: TrashedScope; actor?: Actor | null; db?: Knex }): this {
    const view = Object.create(Object.getPrototypeOf(this) as object) as this;
    return Object.assign(view, this, changes);
  }

  /** Whether the owner column limits what this repository sees (an owned model, a non-admin actor). */
  protected get ownerScoped(): boolean {
    return this.model.owner !== undefined && this.actor !== undefined && this.actor?.role !== ADMIN_ROLE;
  }

  /** A query builder on the table with the trashed scope applied. */
  query(trx: Knex | Knex.Transaction = this.db): Knex.QueryBuilder {
    // Exact 64-bit reads (SQLite hands BigInts) only where a column needs them: doubles are exact up to 2^53.
    const builder = this.model.hasBigIntegers
      ? this.dialect.exactIntegers(trx(this.model.table))
      : trx(this.model.table);
    const column = `${this.model.table}.deleted_at`;
    if (this.scope === 'without') builder.whereNull(column);
    else if (this.scope === 'only') builder.whereNotNull(column);
    if (this.ownerScoped) {
      // Nobody signed in: no owned record is theirs.
      if (this.actor === null) builder.whereRaw('1 = 0');
      else builder.where(`${this.model.table}.${this.model.owner!}`, this.actor!.id);
    }
    return builder;
  }

  async find(id: number): Promise<TRecord | undefined> {
    const row = await this.run<Row | undefined>(() => this.query().where(`${this.model.table}.id`, id).first());
    return row ? this.model.fromRow(row) : undefined;
  }

  /** Like `find`, but a missing (or soft-deleted) record is a 404. */
  async findOrFail(id: number): Promise<TRecord> {
    const record = await this.find(id);
    if (!record) throw new NotFoundException(`${this.model.name} not found`);
    return record;
  }

  async findBy(column: string, value: unknown): Promise<TRecord | undefined> {
    const row = await this.run<Row | undefined>(() =>
      this.query()
        .where(column, value as Knex.Value)
        .first(),
    );
    return row ? this.model.fromRow(row) : undefined;
  }

  async all(): Promise<TRecord[]> {
    const rows = await this.run<Row[]>(() => this.query().orderBy('id', 'asc'));
    return rows.map((row) => this.model.fromRow(row));
  }

  async count(where?: ListOptions['where']): Promise<number> {
    const query = this.query();
    where?.(query);
    const row = await this.run<{ total?: unknown } | undefined>(() => query.count({ total: '*' }).first());
    return Number(row?.total ?? 0);
  }

  /** One page of records and its `pagination` block: one count query and one page query. */
  async paginate(options: ListOptions): Promise<Page<TRecord>> {
    const query = this.query();
    options.where?.(query);
    for (const term of options.sort ?? []) query.orderBy(term.column, term.direction);
    // A stable order: ties broken by id, so pages never repeat or skip a row.
    if (!options.sort?.some((term) => term.column === 'id')) query.orderBy(`${this.model.table}.id`, 'asc');
    // The count and the page at once: on PostgreSQL and MySQL each takes a connection of the pool.
    const [total, rows] = await Promise.all([
      this.count(options.where),
      this.run<Row[]>(() => query.select(`${this.model.table}.*`).limit(options.perPage).offset(pageOffset(options))),
    ]);
    return {
      items: rows.map((row) => this.model.fromRow(row)),
      pagination: paginationMeta(options, total),
    };
  }

  /** A new record; acting for a user, an owned record is theirs (an owner in `attributes` is kept only for code). */
  async create(attributes: Attributes): Promise<TRecord> {
    const now = new Date();
    const owner = this.model.owner;
    if (owner !== undefined && this.actor === null)
      throw new UnauthorizedException(`${this.model.name} records belong to a user: sign in to create one`);
    const owned = owner !== undefined && this.actor ? { [owner]: this.actor.id } : {};
    const row = this.model.toRow({ ...attributes, ...owned, created_at: now, updated_at: now }, this.dialect);
    // The stored row comes back from the insert itself where the database can (RETURNING).
    return this.model.fromRow(
      await this.run(() => this.dialect.insertRow(this.db, this.model.table, row, this.model.hasBigIntegers)),
    );
  }

  async update(id: number, attributes: Attributes): Promise<TRecord> {
    await this.findOrFail(id);
    const row = this.model.toRow({ ...attributes, updated_at: new Date() }, this.dialect);
    await this.run(() => this.db(this.model.table).where('id', id).update(row));
    return this.withTrashed().findOrFail(id);
  }

  /** Marks the record deleted; it disappears from default queries. */
  async softDelete(id: number): Promise<TRecord> {
    await this.findOrFail(id);
    const now = new Date();
    await this.run(() =>
      this.db(this.model.table)
        .where('id', id)
        .update(this.model.toRow({ deleted_at: now, updated_at: now }, this.dialect)),
    );
    return this.withTrashed().findOrFail(id);
  }

  /** Brings a soft-deleted record back; a record that is not deleted is a 404. */
  async restore(id: number): Promise<TRecord> {
    await this.onlyTrashed().findOrFail(id);
    await this.run(() =>
      this.db(this.model.table)
        .where('id', id)
        .update(this.model.toRow({ deleted_at: null, updated_at: new Date() }, this.dialect)),
    );
    return this.findOrFail(id);
  }

  /** Removes the row for good, deleted or not. */
  async forceDelete(id: number): Promise<void> {
    await this.withTrashed().findOrFail(id);
    await this.run(() => this.db(this.model.table).where('id', id).delete());
  }

  /** Sets `updated_at` to now. */
  async touch(id: number): Promise<TRecord> {
    await this.withTrashed().findOrFail(id);
    await this.run(() =>
      this.db(this.model.table)
        .where('id', id)
        .update(this.model.toRow({ updated_at: new Date() }, this.dialect)),
    );
    return this.withTrashed().findOrFail(id);
  }

  /**
   * Checks that each foreign key among the attributes (the model's references) names a record
   * of its table that exists and is not soft-deleted — a soft-deleted record counts as missing,
   * as everywhere in the API. A 422 naming every field that does not.
   */
  async checkReferences(attributes: Attributes): Promise<void> {
    const checks = Object.entries(this.model.references).flatMap(([field, { table, column }]) => {
      const value = attributes[field];
      if (value === null || value === undefined) return [];
      return [
        (async () => {
          const query = this.db(table).where(column, value as Knex.Value);
          if (await softDeletes(this.db, table)) query.whereNull('deleted_at');
          const found = await this.run<unknown>(() => query.first(column));
          return found
            ? undefined
            : ([
                field,
                `refers to a ${table} record that does not exist (${column} = ${value as string | number})`,
              ] as const);
        })(),
      ];
    });
    const errors = fieldErrors();
    for (const missing of await Promise.all(checks)) if (missing) errors[missing[0]] = [missing[1]];
    if (Object.keys(errors).length > 0) throw new ValidationException('A referenced record does not exist', { errors });
  }

  /**
   * What `relation` gives each of these records, in their order, from one query for them all: the
   * record or null (belongsTo), the list, oldest first (hasMany). Soft-deleted related records are
   * left out, as the related model's repository leaves them out.
   */
  async related(records: readonly TRecord[], relation: Relation): Promise<Array<BaseRecord | BaseRecord[] | null>> {
    const keys = [
      ...new Set(
        records.map((record) => keyOf(record, relation.field)).filter((key) => key !== null && key !== undefined),
      ),
    ];
    const found = new Map<string, BaseRecord[]>();
    const add = (key: unknown, record: BaseRecord) => {
      const list = found.get(String(key));
      if (list) list.push(record);
      else found.set(String(key), [record]);
    };
    if (keys.length > 0) {
      const others = this.repositoryOf(relation.model);
      const table = relation.model.table;
      const query = others.query();
      if (relation.kind === 'belongsToMany') {
        // Through the pivot: each related row once per record it is linked to, with that record's key.
        const pivot = relation.pivot!;
        query
          .join(pivot.table, `${pivot.table}.${pivot.relatedKey}`, `${table}.${relation.column}`)
          .whereIn(`${pivot.table}.${pivot.key}`, keys as Knex.Value[])
          .select(`${table}.*`, `${pivot.table}.${pivot.key} as ${PIVOT_KEY}`);
      } else query.whereIn(`${table}.${relation.column}`, keys as Knex.Value[]);
      if (isToMany(relation)) query.orderBy(`${table}.id`, 'asc');
      for (const row of await others.run<Row[]>(() => query)) {
        if (relation.kind !== 'belongsToMany') {
          const record = relation.model.fromRow(row);
          add(keyOf(record, relation.column), record);
          continue;
        }
        const { [PIVOT_KEY]: key, ...columns } = row;
        add(typeof key === 'bigint' ? key.toString() : key, relation.model.fromRow(columns));
      }
    }
    return records.map((record) => {
      const key = keyOf(record, relation.field);
      const list = key === null || key === undefined ? undefined : found.get(String(key));
      return isToMany(relation) ? (list ?? []) : (list?.[0] ?? null);
    });
  }

  /**
   * Checks that every id a write links (`tag_ids`) names a live record this repository's actor can
   * see: a 422 naming each body field with the ids that do not.
   */
  async checkLinks(links: Links): Promise<void> {
    const errors = fieldErrors();
    await Promise.all(
      Object.entries(links).map(async ([field, { relation, ids }]) => {
        if (ids.length === 0) return;
        const found = await this.visibleIds(relation, ids);
        const missing = ids.filter((id) => !found.has(id));
        if (missing.length > 0)
          errors[field] = [
            `refers to ${relation.model.table} records that do not exist (${relation.column} = ${missing.join(', ')})`,
          ];
      }),
    );
    if (Object.keys(errors).length > 0) throw new ValidationException('A linked record does not exist', { errors });
  }

  /**
   * Links record `id` to exactly these records of a belongsToMany (pivot rows added and removed).
   * Of an owned related model, only links to the records this repository's actor can see are
   * removed: another user's links to their own records stay.
   */
  async sync(id: number, relation: Relation, ids: readonly number[]): Promise<void> {
    const { table, key, relatedKey } = relation.pivot!;
    const rows = await this.run<Row[]>(() => this.db(table).where(key, id).select(relatedKey));
    const before = new Set(rows.map((row) => Number(row[relatedKey])));
    const after = new Set(ids);
    let gone = [...before].filter((linked) => !after.has(linked));
    if (gone.length > 0 && this.repositoryOf(relation.model).ownerScoped) {
      const theirs = await this.visibleIds(relation, gone);
      gone = gone.filter((linked) => theirs.has(linked));
    }
    const added = [...after].filter((linked) => !before.has(linked));
    if (gone.length > 0) await this.run(() => this.db(table).where(key, id).whereIn(relatedKey, gone).delete());
    if (added.length > 0)
      await this.run(() => this.db(table).insert(added.map((linked) => ({ [key]: id, [relatedKey]: linked }))));
  }

  /** Which of these ids of a relation's model name live records this repository's actor can see. */
  private async visibleIds(relation: Relation, ids: readonly number[]): Promise<Set<number>> {
    const others = this.repositoryOf(relation.model);
    const column = `${relation.model.table}.${relation.column}`;
    const rows = await others.run<Row[]>(() =>
      others
        .query()
        .whereIn(column, ids as number[])
        .select(column),
    );
    return new Set(rows.map((row) => Number(row[relation.column])));
  }

  /** Narrows a query to the records linked to any of these ids through a belongsToMany (`filter[tags]=1,2`). */
  whereLinked(query: Knex.QueryBuilder, relation: Relation, ids: readonly number[]): void {
    const { table, key, relatedKey } = relation.pivot!;
    query.whereExists(
      this.db(table)
        .select(this.db.raw('1'))
        .whereRaw('?? = ??', [`${table}.${key}`, `${this.model.table}.${relation.field}`])
        .whereIn(`${table}.${relatedKey}`, ids as number[]),
    );
  }

  /** Runs `work` in one transaction, with a view of this repository (and the repositories it reads through) inside it. */
  transaction<T>(work: (repository: this) => Promise<T>): Promise<T> {
    return this.db.transaction((trx) => work(this.view({ db: trx })));
  }

  /** The repository related records are read through: the same database, for the same actor. */
  protected repositoryOf(model: Model<BaseRecord>): BaseRepository<BaseRecord> {
    const repository = new BaseRepository(this.db, model);
    return this.actor === undefined ? repository : repository.actingFor(this.actor);
  }

  /** Runs a query, turning constraint violations into 409/422 exceptions that name the field. */
  protected run<T>(operation: () => PromiseLike<T>): Promise<T> {
    // Not async: one promise for the query instead of one more around it (this is on every request's path).
    try {
      return Promise.resolve(operation()).catch((error: unknown) => {
        throw this.translateError(error);
      });
    } catch (error) {
      // translateError gives back what it cannot translate as it was thrown.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(this.translateError(error));
    }
  }

  protected translateError(error: unknown): unknown {
    const classified = classifyDatabaseError(error);
    if (!classified) return error;
    const field = classified.target ? this.columnOf(classified.target) : undefined;
    if (classified.kind === 'unique_violation') {
      const message = field ? `${field} has already been taken` : `${this.model.name} already exists`;
      return new ConflictException(message, {
        errors: field ? { [field]: ['has already been taken'] } : undefined,
        cause: error,
      });
    }
    if (classified.kind === 'foreign_key_violation') {
      return new ValidationException('A referenced record does not exist', {
        errors: field ? { [field]: ['refers to a record that does not exist'] } : {},
        cause: error,
      });
    }
    return error;
  }

  /** The column behind a constraint name such as `users_email_unique` or `lower(email)`. */
  protected columnOf(target: string): string {
    const inner = /\(([^)]+)\)/.exec(target)?.[1] ?? target;
    return inner.replace(new RegExp(`^${this.model.table}_`), '').replace(/_(unique|foreign|index)$/, '');
  }
}
