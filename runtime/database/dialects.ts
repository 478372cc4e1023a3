// Everything that differs between SQLite, PostgreSQL and MySQL/MariaDB: connection settings,
// driver type handling and how each reports constraint and connection errors.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { Knex } from 'knex';

export const DRIVERS = ['sqlite', 'postgresql', 'mysql'] as const;
export type Driver = (typeof DRIVERS)[number];

/** What a driver error means to the application. */
export type DatabaseErrorKind =
  'unique_violation' | 'foreign_key_violation' | 'not_null_violation' | 'invalid_text' | 'connection';

export interface ClassifiedError {
  kind: DatabaseErrorKind;
  /** The constraint or column named by the database, when it says. */
  target?: string;
}

export interface PoolSettings {
  min?: number;
  max?: number;
}

export interface ConnectionOptions {
  pool?: PoolSettings;
  /** Milliseconds to wait for a pooled connection before failing (the request becomes a 503). */
  acquireTimeoutMs?: number;
  /** Base directory for a relative SQLite path (default: the working directory). */
  baseDir?: string;
}

type DriverError = {
  code?: unknown;
  errno?: unknown;
  message?: unknown;
  detail?: unknown;
  constraint?: unknown;
  fatal?: unknown;
  name?: unknown;
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

function asDriverError(error: unknown): DriverError | undefined {
  return typeof error === 'object' && error !== null ? error : undefined;
}

/** Errors any driver can give when the server or the pool cannot be reached. */
function isGenericConnectionError(error: DriverError): boolean {
  if (typeof error.code === 'string' && NETWORK_CODES.has(error.code)) return true;
  if (error.name === 'KnexTimeoutError') return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return /Unable to acquire a connection|Timeout acquiring a connection|Connection terminated|connect ECONNREFUSED|Knex: run\s+\$ npm install/i.test(
    message,
  );
}

export abstract class Dialect {
  abstract readonly driver: Driver;
  /** The Knex client name. */
  abstract readonly client: string;
  /** The npm package of the driver. */
  abstract readonly driverPackage: string;

  /** Knex connection settings for a `DATABASE_URL` of this dialect. */
  abstract connection(url: string, options: ConnectionOptions): Knex.Config['connection'];

  /** Called on each new pooled connection (session time zone, pragmas). */
  abstract afterCreate(connection: unknown, done: (error: Error | null, connection: unknown) => void): void;

  /** Classifies a driver error, or returns undefined when it is none of the known kinds. */
  classify(error: unknown): ClassifiedError | undefined {
    const driverError = asDriverError(error);
    if (!driverError) return undefined;
    return (
      this.classifyDriverError(driverError) ??
      (isGenericConnectionError(driverError) ? { kind: 'connection' } : undefined)
    );
  }

  protected abstract classifyDriverError(error: DriverError): ClassifiedError | undefined;

  /**
   * Inserts a row and returns it as stored (defaults filled in): in the same statement where the
   * database has RETURNING (PostgreSQL, SQLite), by a read of the new id otherwise (MySQL).
   * `exact` reads 64-bit integers exactly, as `exactIntegers()` does for queries.
   */
  async insertRow(
    db: Knex,
    table: string,
    row: Record<string, unknown>,
    exact = false,
  ): Promise<Record<string, unknown>> {
    const insert = db(table).insert(row, '*');
    const [stored] = (await (exact ? this.exactIntegers(insert) : insert)) as Array<Record<string, unknown>>;
    return stored!;
  }

  /**
   * Runs a migration's schema change as one unit where the database can: in one transaction on
   * PostgreSQL, whose DDL is transactional, so a failing step leaves the table as it was. Such
   * migrations run outside Knex's own migration transaction (`config = { transaction: false }`)
   * because SQLite cannot alter inside one (see SqliteDialect); MySQL commits each DDL statement
   * by itself, whatever is asked.
   *
   * @example
   * await dialectOf(knex).changeSchema(knex, async (db) => {
   *   await db.schema.alterTable('posts', (table) => table.renameColumn('body', 'content'));
   * });
   */
  async changeSchema(knex: Knex, work: (db: Knex) => Promise<void>): Promise<void> {
    await knex.transaction(async (trx) => work(trx));
  }

  /** Makes a read query return integers exactly (drivers that would round 64-bit integers to doubles). */
  exactIntegers(query: Knex.QueryBuilder): Knex.QueryBuilder {
    return query;
  }

  /** The column default meaning "now", in the same form `timestamp()` stores. */
  currentTimestamp(knex: Knex): Knex.Raw {
    return knex.fn.now(3);
  }

  /** The value to store for a timestamp column. */
  timestamp(date: Date): Date | string {
    return date;
  }

  /** Full Knex configuration for a `DATABASE_URL`. */
  knexConfig(url: string, options: ConnectionOptions = {}): Knex.Config {
    return {
      client: this.client,
      connection: this.connection(url, options),
      pool: { min: options.pool?.min ?? 0, max: options.pool?.max ?? 10, afterCreate: this.afterCreate.bind(this) },
      acquireConnectionTimeout: options.acquireTimeoutMs ?? 10_000,
      useNullAsDefault: this.driver === 'sqlite' ? true : undefined,
    };
  }
}

/** What the SQLite dialect uses of a better-sqlite3 connection. */
interface SqliteConnection {
  name: string;
  pragma(sql: string): unknown;
  prepare(sql: string): { safeIntegers(on?: boolean): unknown };
}

/** Compiled statements kept per connection: the ones an application runs over and over. */
export const STATEMENT_CACHE_SIZE = 200;

/**
 * Knex asks better-sqlite3 to compile every query anew, which costs as much as running a read by
 * primary key. The same SQL text now reuses its compiled statement (least recently used dropped
 * past STATEMENT_CACHE_SIZE). Safe with Knex: each query runs to completion synchronously, so a
 * statement is never in use twice at once; SQLite recompiles a statement itself when the schema
 * changes; and 64-bit reads are switched off again on reuse, Knex switching them on per query.
 */
export function cacheStatements(db: SqliteConnection, size = STATEMENT_CACHE_SIZE): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, ReturnType<SqliteConnection['prepare']>>();
  db.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql);
      statement.safeIntegers(false);
    } else {
      statement = prepare(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  };
}

export class SqliteDialect extends Dialect {
  readonly driver = 'sqlite' as const;
  readonly client = 'better-sqlite3';
  readonly driverPackage = 'better-sqlite3';

  /** The file of a `sqlite:` URL: `sqlite:./data/app.db`, `sqlite:///abs/app.db`, `sqlite::memory:`. */
  static filename(url: string, baseDir = process.cwd()): string {
    const rest = url.replace(/^sqlite3?:/i, '');
    if (rest === ':memory:' || rest === '//:memory:') return ':memory:';
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path === '') throw new TypeError(`DATABASE_URL "${url}" names no SQLite file (e.g. sqlite:./data/app.db)`);
    return resolve(baseDir, path);
  }

  connection(url: string, options: ConnectionOptions): Knex.Config['connection'] {
    const filename = SqliteDialect.filename(url, options.baseDir);
    if (filename !== ':memory:') {
      try {
        mkdirSync(dirname(filename), { recursive: true });
      } catch {
        // Opening the file will fail with SQLITE_CANTOPEN, reported as the database being unavailable.
      }
    }
    return { filename };
  }

  override knexConfig(url: string, options: ConnectionOptions = {}): Knex.Config {
    // better-sqlite3 is synchronous and in-process: one connection serialises writes and keeps `:memory:` one database.
    return { ...super.knexConfig(url, options), pool: { min: 1, max: 1, afterCreate: this.afterCreate.bind(this) } };
  }

  afterCreate(connection: unknown, done: (error: Error | null, connection: unknown) => void): void {
    try {
      const db = connection as SqliteConnection;
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      if (db.name !== ':memory:') db.pragma('journal_mode = WAL');
      cacheStatements(db);
      done(null, connection);
    } catch (error) {
      done(error as Error, connection);
    }
  }

  /** Knex rebuilds a table it alters (create, copy, drop, rename) with foreign-key checks off, which only works outside a transaction. */
  override async changeSchema(knex: Knex, work: (db: Knex) => Promise<void>): Promise<void> {
    await work(knex);
  }

  /** better-sqlite3 reads INTEGER as a double unless asked for BigInt; Model.fromRow() turns those into exact values. */
  override exactIntegers(query: Knex.QueryBuilder): Knex.QueryBuilder {
    return query.options({ safeIntegers: true });
  }

  /** SQLite's CURRENT_TIMESTAMP has no milliseconds and no zone: default to the ISO text timestamp() writes. */
  override currentTimestamp(knex: Knex): Knex.Raw {
    return knex.raw("(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
  }

  /** better-sqlite3 binds a Date as epoch milliseconds; store ISO 8601 UTC text, which sorts correctly. */
  override timestamp(date: Date): string {
    return date.toISOString();
  }

  protected classifyDriverError(error: DriverError): ClassifiedError | undefined {
    const code = typeof error.code === 'string' ? error.code : '';
    const message = typeof error.message === 'string' ? error.message : '';
    const target = /constraint failed: ([\w.]+)/.exec(message)?.[1]?.split('.').pop();
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
      return { kind: 'unique_violation', target };
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { kind: 'foreign_key_violation' };
    if (code === 'SQLITE_CONSTRAINT_NOTNULL') return { kind: 'not_null_violation', target };
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_NOTADB' || code === 'SQLITE_IOERR' || code === 'SQLITE_BUSY')
      return { kind: 'connection' };
    if (/The database connection is not open/.test(message)) return { kind: 'connection' };
    return undefined;
  }
}

export class PostgresDialect extends Dialect {
  readonly driver = 'postgresql' as const;
  readonly client = 'pg';
  readonly driverPackage = 'pg';

  connection(url: string): Knex.Config['connection'] {
    const pg = createRequire(import.meta.url)('pg') as {
      types: { getTypeParser(oid: number, format?: string): (value: string) => unknown };
    };
    const DATE = 1082;
    const TIMESTAMP = 1114;
    return {
      connectionString: url,
      types: {
        // DATE stays "YYYY-MM-DD" (pg would make a local-midnight Date); TIMESTAMP without zone is read as UTC.
        getTypeParser(oid: number, format?: string) {
          if (oid === DATE) return (value: string) => value;
          if (oid === TIMESTAMP) return (value: string) => new Date(`${value.replace(' ', 'T')}Z`);
          return pg.types.getTypeParser(oid, format);
        },
      },
    };
  }

  afterCreate(connection: unknown, done: (error: Error | null, connection: unknown) => void): void {
    const client = connection as { query(sql: string, callback: (error: Error | null) => void): void };
    client.query("SET TIME ZONE 'UTC'", (error) => done(error, connection));
  }

  protected classifyDriverError(error: DriverError): ClassifiedError | undefined {
    const code = typeof error.code === 'string' ? error.code : '';
    const detail = typeof error.detail === 'string' ? error.detail : '';
    const target =
      /Key \(([^)]+)\)=/.exec(detail)?.[1] ?? (typeof error.constraint === 'string' ? error.constraint : undefined);
    if (code === '23505') return { kind: 'unique_violation', target };
    if (code === '23503') return { kind: 'foreign_key_violation', target };
    if (code === '23502') return { kind: 'not_null_violation', target };
    // A NUL character, or text the encoding cannot hold (PostgreSQL refuses both; the others store them).
    if (code === '22021' || code === '22P05') return { kind: 'invalid_text' };
    // Class 08 (connection exception), 57P01-03 (admin shutdown, crash, cannot connect now), 53300 (too many connections).
    if (code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300') return { kind: 'connection' };
    return undefined;
  }
}

export class MysqlDialect extends Dialect {
  readonly driver = 'mysql' as const;
  readonly client = 'mysql2';
  readonly driverPackage = 'mysql2';

  connection(url: string): Knex.Config['connection'] {
    const parsed = new URL(url);
    return {
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : 3306,
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
      charset: 'utf8mb4',
      timezone: 'Z',
      // DATE stays "YYYY-MM-DD"; BIGINT and DECIMAL come back as exact strings.
      dateStrings: ['DATE'],
      supportBigNumbers: true,
      bigNumberStrings: true,
      // No typeCast: a function there costs mysql2 its fast row parser (8 µs more per row read). Booleans
      // (TINYINT(1)) arrive as 1/0, as on SQLite, and the models' `boolean` cast makes them true/false.
    } as Knex.Config['connection'];
  }

  /** MySQL has no RETURNING: the insert answers with the new id, and the row is read back by it. */
  override async insertRow(db: Knex, table: string, row: Record<string, unknown>): Promise<Record<string, unknown>> {
    const [id] = await db(table).insert(row);
    return (await db(table).where('id', id).first()) as Record<string, unknown>;
  }

  afterCreate(connection: unknown, done: (error: Error | null, connection: unknown) => void): void {
    const conn = connection as { query(sql: string, callback: (error: Error | null) => void): void };
    conn.query("SET time_zone = '+00:00'", (error) => done(error, connection));
  }

  protected classifyDriverError(error: DriverError): ClassifiedError | undefined {
    const code = typeof error.code === 'string' ? error.code : '';
    const message = typeof error.message === 'string' ? error.message : '';
    if (code === 'ER_DUP_ENTRY')
      return { kind: 'unique_violation', target: /for key '(?:[^.']+\.)?([^']+)'/.exec(message)?.[1] };
    if (code === 'ER_NO_REFERENCED_ROW_2' || code === 'ER_ROW_IS_REFERENCED_2' || code === 'ER_NO_REFERENCED_ROW')
      return { kind: 'foreign_key_violation' };
    if (code === 'ER_BAD_NULL_ERROR')
      return { kind: 'not_null_violation', target: /Column '([^']+)'/.exec(message)?.[1] };
    if (
      code === 'PROTOCOL_CONNECTION_LOST' ||
      code === 'ER_CON_COUNT_ERROR' ||
      code === 'ER_SERVER_SHUTDOWN' ||
      code === 'ER_ACCESS_DENIED_ERROR'
    )
      return { kind: 'connection' };
    if (error.fatal === true) return { kind: 'connection' };
    return undefined;
  }
}

const DIALECTS: Record<Driver, Dialect> = {
  sqlite: new SqliteDialect(),
  postgresql: new PostgresDialect(),
  mysql: new MysqlDialect(),
};

const SCHEMES: Record<string, Driver> = {
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
};

/**
 * The driver a `DATABASE_URL` names, from its scheme.
 *
 * @example
 * driverOfUrl('postgresql://app@localhost:5432/app') // 'postgresql'
 * driverOfUrl('sqlite:./data/app.db')                 // 'sqlite'
 */
export function driverOfUrl(url: string): Driver {
  const scheme = /^([a-z0-9+]+):/i.exec(url)?.[1]?.toLowerCase().replace(/\+.*$/, '');
  const driver = scheme ? SCHEMES[scheme] : undefined;
  if (!driver) {
    throw new TypeError(
      `DATABASE_URL "${redactUrl(url)}" has an unknown scheme; use sqlite:, postgresql:// or mysql://`,
    );
  }
  return driver;
}

/** The dialect of a driver name. */
export function dialectFor(driver: Driver): Dialect {
  return DIALECTS[driver];
}

/**
 * Why the database of a URL cannot be used from a project: its driver package (pg, mysql2,
 * better-sqlite3) is not installed there. Undefined when it is.
 *
 * @example
 * driverPackageProblem('postgresql://db/app', '/srv/api')
 * // 'DATABASE_URL is a postgresql URL, but its driver package pg is not installed: run npm install pg'
 */
export function driverPackageProblem(url: string, root: string): string | undefined {
  let driver: Driver;
  try {
    driver = driverOfUrl(url);
  } catch {
    return undefined; // the settings report a bad URL themselves
  }
  const { driverPackage } = DIALECTS[driver];
  try {
    createRequire(resolve(root, 'package.json')).resolve(driverPackage);
    return undefined;
  } catch {
    return `DATABASE_URL is a ${driver} URL, but its driver package ${driverPackage} is not installed: run npm install ${driverPackage}`;
  }
}

/** The dialect a Knex instance runs on. */
export function dialectOf(knex: Knex): Dialect {
  const client = (knex.client as { config: { client: unknown } }).config.client;
  const found = Object.values(DIALECTS).find((dialect) => dialect.client === client);
  if (!found) throw new TypeError(`dialectOf() does not know the Knex client "${String(client)}"`);
  return found;
}

/**
 * Classifies an error from any of the three drivers (their codes do not overlap).
 *
 * @example
 * classifyDatabaseError(error) // { kind: 'unique_violation', target: 'email' }
 */
export function classifyDatabaseError(error: unknown): ClassifiedError | undefined {
  for (const dialect of Object.values(DIALECTS)) {
    const found = dialect.classify(error);
    if (found) return found;
  }
  return undefined;
}

/** Knex configuration for a `DATABASE_URL`, on the dialect its scheme names. */
export function knexConfigFromUrl(url: string, options: ConnectionOptions = {}): Knex.Config {
  return dialectFor(driverOfUrl(url)).knexConfig(url, options);
}

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@/]*@/, '$1***@');
}
