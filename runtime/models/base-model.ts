// Base model: the columns every table has (id, timestamps, soft delete) and the casts that make a
// row read the same on SQLite, PostgreSQL and MySQL (booleans, dates, exact numbers, JSON).
import type { Dialect } from '../database/dialects.js';
import { fieldCasts, withOwner, type Cast, type FieldDefinition, type ForeignKey } from '../fields/spec.js';

export type { Cast };

/** The columns every model has. */
export interface BaseRecord {
  id: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface ModelDefinition {
  /** Singular PascalCase name, used in messages ("Post not found"). */
  name: string;
  /** The table, plural snake_case. */
  table: string;
  /**
   * Its fields (the model file's `…Fields`): their casts, and the records their foreign keys refer
   * to, which every write checks (see BaseService).
   */
  fields?: readonly FieldDefinition[];
  /** Column casts beyond the base columns and the fields' own (a field's cast can be overridden here). */
  casts?: Record<string, Cast>;
  /** Columns never sent to clients (password hashes, tokens). */
  hidden?: readonly string[];
  /**
   * Who may read its records: `bearer` when its routes need a token. Its records are only ever
   * returned where its own routes would return them, so an `include` of it from another resource
   * needs the token too. Default `public`.
   */
  access?: ModelAccess;
  /**
   * The column holding the id of the user each record belongs to (`user_id`), for records that
   * belong to whoever created them: set from the signed-in user on create, never from a body, and
   * read or changed only by that user (and admins). See BaseRepository.actingFor.
   */
  owner?: string;
}

/** Who may read a model's records: anyone, or requests with a valid bearer token. */
export type ModelAccess = 'public' | 'bearer';

/** Columns every model has; clients may never write them. */
export const BASE_COLUMNS = ['id', 'created_at', 'updated_at', 'deleted_at'] as const;

const BASE_CASTS: Record<string, Cast> = {
  id: 'integer',
  created_at: 'datetime',
  updated_at: 'datetime',
  deleted_at: 'datetime',
};

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

const CANONICAL_ISO = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** A driver's timestamp (Date, epoch ms, `YYYY-MM-DD HH:MM:SS[.fff]` in UTC, ISO text) as ISO 8601 UTC. */
export function toIsoDateTime(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  // Already canonical (what SQLite stores, and every cast returns): nothing to parse.
  if (typeof value === 'string' && value.length === 24 && CANONICAL_ISO.test(value)) return value;
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number' || typeof value === 'bigint') date = new Date(Number(value));
  else {
    const text = String(value).trim();
    // Zone-less text is UTC: that is how the application writes timestamps on every driver.
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text.replace(' ', 'T')}Z`;
    date = new Date(zoned);
  }
  if (Number.isNaN(date.getTime()))
    throw new TypeError(`toIsoDateTime() cannot read "${String(value)}" as a timestamp`);
  return date.toISOString();
}

/** A driver's DATE value as `YYYY-MM-DD`, with no time-zone shift. */
export function toIsoDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date)
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  return String(value).slice(0, 10);
}

/** A BigInt as a number when that is exact, else as its decimal string (JSON has no BigInt). */
function exactNumber(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/** Reads a value of one cast from any driver; null stays null. */
type Reader = (value: unknown) => unknown;

/**
 * What the drivers hand back for a non-null column: scalars and dates (pg and mysql2 parse JSON
 * columns into objects; the json cast takes those as they are).
 */
type DriverValue = string | number | bigint | boolean | Date;

function nullable(read: (value: DriverValue) => unknown): Reader {
  return (value) => (value === null || value === undefined ? null : read(value as DriverValue));
}

/** What a cast does: read a driver's value, and (where the drivers differ) write one. */
interface CastBehaviour {
  read: Reader;
  /** The value to write for a non-null attribute; as given when absent. */
  write?: (value: NonNullable<unknown>, dialect: Dialect) => unknown;
}

const CASTS: Record<Exclude<Cast, `decimal:${number}`>, CastBehaviour> = {
  string: { read: nullable(String) },
  integer: { read: nullable(Number) },
  float: { read: nullable(Number) },
  bigint: { read: nullable(String) },
  boolean: {
    read: nullable(
      (value) => value === true || value === 1 || value === '1' || value === 't' || value === 'true' || value === 1n,
    ),
    write: Boolean,
  },
  datetime: {
    read: toIsoDateTime,
    write: (value, dialect) => dialect.timestamp(value instanceof Date ? value : new Date(String(value))),
  },
  date: { read: toIsoDate },
  time: { read: nullable((value) => String(value).slice(0, 8)) },
  json: {
    read: nullable((value) => (typeof value === 'string' ? JSON.parse(value) : value)),
    // A string for every driver: pg would turn a JS array into a PostgreSQL array literal.
    write: (value) => JSON.stringify(value),
  },
};

/** What a cast does, chosen once per column rather than per value. */
function castBehaviour(cast: Cast): CastBehaviour {
  if (!cast.startsWith('decimal:')) return CASTS[cast as keyof typeof CASTS];
  const scale = Number(cast.slice('decimal:'.length));
  // SQLite hands back a double: fixed-point formatting restores the exact decimal it was written as.
  return { read: nullable((value) => (typeof value === 'number' ? value.toFixed(scale) : String(value))) };
}

/** A column without a cast: BigInts (SQLite's exact reads) become numbers where exact. */
const uncast: Reader = (value) => (typeof value === 'bigint' ? exactNumber(value) : value);

/**
 * A model: its table, casts and hidden columns, and the conversions between rows and records.
 *
 * @example
 * export const Post = new Model<PostRecord>({ name: 'Post', table: 'posts', fields: postFields });
 * new Model({ name: 'Flag', table: 'flags', casts: { published: 'boolean' } }); // casts of its own
 * Post.fromRow({ id: 1, published: 1, ... }) // { id: 1, published: true, ... }
 */
export class Model<TRecord extends BaseRecord = BaseRecord> {
  readonly name: string;
  readonly table: string;
  /** Its fields (the field language's definitions): what a body may write, and how. */
  readonly fields: readonly FieldDefinition[];
  readonly casts: Readonly<Record<string, Cast>>;
  /** The columns that refer to another table's records (foreign keys), from its fields. */
  readonly references: Readonly<Record<string, ForeignKey>>;
  readonly hidden: readonly string[];
  readonly access: ModelAccess;
  /** The column holding each record's owner (a user's id), for owned records. */
  readonly owner?: string;
  /** Whether a column holds 64-bit integers (read exactly, as strings). */
  readonly hasBigIntegers: boolean;
  private readonly behaviours: Map<string, CastBehaviour>;

  constructor(definition: ModelDefinition) {
    if (!/^[a-z][a-z0-9_]*$/.test(definition.table)) {
      throw new TypeError(`Model "${definition.name}": table "${definition.table}" must be snake_case`);
    }
    this.name = definition.name;
    this.table = definition.table;
    const fields = definition.fields ?? [];
    this.fields = fields;
    const owner = definition.owner;
    if (owner !== undefined && fields.some((field) => field.name === owner))
      throw new TypeError(
        `Model "${definition.name}": owner "${owner}" is set from the signed-in user, so it cannot also be one of its fields`,
      );
    this.owner = owner;
    // The owner's column is read and referenced as a field is, though no body writes it.
    const columns = withOwner(fields, owner);
    this.casts = { ...BASE_CASTS, ...fieldCasts(columns), ...definition.casts };
    this.references = Object.fromEntries(
      columns.flatMap((field) =>
        field.rules.foreign ? [[field.name, field.rules.foreign] as [string, ForeignKey]] : [],
      ),
    );
    this.hidden = definition.hidden ?? [];
    this.access = definition.access ?? 'public';
    this.hasBigIntegers = Object.values(this.casts).includes('bigint');
    this.behaviours = new Map(Object.entries(this.casts).map(([column, cast]) => [column, castBehaviour(cast)]));
  }

  /** A database row as a record: every cast applied, so each driver yields the same values. */
  fromRow(row: Record<string, unknown>): TRecord {
    const record: Record<string, unknown> = {};
    for (const column in row) record[column] = (this.behaviours.get(column)?.read ?? uncast)(row[column]);
    return record as TRecord;
  }

  /** Attributes as a row to write: timestamps and JSON in the form the dialect stores. */
  toRow(attributes: Record<string, unknown>, dialect: Dialect): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(attributes)) {
      if (value === undefined) continue;
      const write = this.behaviours.get(column)?.write;
      row[column] = write && value !== null ? write(value, dialect) : value;
    }
    return row;
  }

  /** The record as clients see it: hidden columns removed. */
  serialize(record: TRecord): TRecord {
    if (this.hidden.length === 0) return record;
    const visible: Record<string, unknown> = { ...(record as object) };
    for (const column of this.hidden) delete visible[column];
    return visible as TRecord;
  }

  /** Whether the record is soft-deleted. */
  isDeleted(record: Pick<BaseRecord, 'deleted_at'>): boolean {
    return record.deleted_at !== null && record.deleted_at !== undefined;
  }
}
