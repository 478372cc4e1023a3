// The database server as a new project meets it: creating the database a DATABASE_URL names (what
// `fastpy db:create` and the wizard do), and saying in one line why a database cannot be used —
// the server is down, the login is refused, the database does not exist, the user may not create it.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { driverOfUrl, knexConfigFromUrl, redactUrl, SqliteDialect, type Driver } from './dialects.js';

const LABELS: Record<Driver, string> = { sqlite: 'SQLite', postgresql: 'PostgreSQL', mysql: 'MySQL' };

/** Where a server URL points, for messages: `127.0.0.1:5432`. */
function address(url: URL, driver: Driver): string {
  return `${url.hostname}:${url.port || (driver === 'postgresql' ? 5432 : 3306)}`;
}

/** The database a URL names: its name on the server, or the SQLite file (`:memory:` for none). */
export function databaseName(url: string): string {
  if (driverOfUrl(url) === 'sqlite') return SqliteDialect.filename(url);
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** The shell command that creates the database (the server's own client), as the URL's user or as the server's administrator. */
export function createDatabaseCommand(url: string, as: 'user' | 'admin' = 'user'): string {
  const driver = driverOfUrl(url);
  const parsed = new URL(url);
  const name = databaseName(url);
  const admin = driver === 'postgresql' ? 'postgres' : 'root';
  const user = as === 'admin' ? admin : decodeURIComponent(parsed.username) || admin;
  if (driver === 'postgresql') return `createdb -h ${parsed.hostname} -p ${parsed.port || 5432} -U ${user} ${name}`;
  return `mysql -h ${parsed.hostname} -P ${parsed.port || 3306} -u ${user} -p -e 'CREATE DATABASE \`${name}\`'`;
}

/**
 * Creates the database a URL names unless it exists; says which. SQLite makes its file (and
 * folder); in memory there is nothing to make. On a server, the URL's user needs the right to
 * create databases; without it, the error says so (see databaseProblem).
 *
 * @example
 * await ensureDatabase('postgresql://postgres@127.0.0.1:5432/shop') // 'created'
 */
export async function ensureDatabase(url: string): Promise<'created' | 'exists' | 'in memory'> {
  const driver = driverOfUrl(url);
  const name = databaseName(url);
  if (driver === 'sqlite') {
    if (name === ':memory:') return 'in memory';
    if (existsSync(name)) return 'exists';
    mkdirSync(dirname(name), { recursive: true });
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => { close(): void };
    new Database(name).close();
    return 'created';
  }
  if (name === '')
    throw new TypeError(`DATABASE_URL "${redactUrl(url)}" names no database (e.g. ${driver}://user@127.0.0.1/app)`);
  // Connected to the server itself: PostgreSQL's maintenance database, or MySQL with none chosen.
  const server = new URL(url);
  server.pathname = driver === 'postgresql' ? '/postgres' : '/';
  const { default: knex } = await import('knex');
  // Quiet: a refused connection is reported by the caller, in one line.
  const quiet = () => undefined;
  const db = knex({
    ...knexConfigFromUrl(server.toString(), { pool: { min: 0, max: 1 }, acquireTimeoutMs: 10_000 }),
    log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
  });
  try {
    const exists =
      driver === 'postgresql'
        ? (await db.raw<{ rows: unknown[] }>('select 1 from pg_database where datname = ?', [name])).rows.length > 0
        : (
            (await db.raw('select schema_name from information_schema.schemata where schema_name = ?', [name])) as [
              unknown[],
            ]
          )[0].length > 0;
    if (exists) return 'exists';
    await db.raw(
      driver === 'postgresql'
        ? 'create database ??'
        : 'create database ?? character set utf8mb4 collate utf8mb4_unicode_ci',
      [name],
    );
    return 'created';
  } finally {
    await db.destroy();
  }
}

type DriverError = { code?: unknown; errno?: unknown; message?: unknown };

/**
 * Why a database cannot be used, in one line that says what to do — or undefined when the error is
 * not about reaching or opening the database (a failing query, say).
 *
 * @example
 * databaseProblem(error, 'postgresql://app@127.0.0.1:5432/shop')
 * // 'database "shop" does not exist on the PostgreSQL server at 127.0.0.1:5432: create it with fastpy db:create'
 */
export function databaseProblem(error: unknown, url: string): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errno, message } = error as DriverError;
  const text = typeof message === 'string' ? message : '';
  let driver: Driver;
  try {
    driver = driverOfUrl(url);
  } catch {
    return undefined;
  }
  if (driver === 'sqlite') {
    if (code === 'SQLITE_CANTOPEN')
      return `cannot open the SQLite file ${databaseName(url)}: check that its folder exists and may be written`;
    return undefined;
  }
  const parsed = new URL(url);
  const where = `the ${LABELS[driver]} server at ${address(parsed, driver)}`;
  const name = databaseName(url);
  const user = decodeURIComponent(parsed.username) || '(no user)';
  // The server answered, and refused:
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR' || errno === 1049)
    return `database "${name}" does not exist on ${where}: create it with fastpy db:create (or: ${createDatabaseCommand(url)})`;
  if (
    code === '28P01' ||
    code === '28000' ||
    code === 'ER_ACCESS_DENIED_ERROR' ||
    code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR' ||
    errno === 1045 ||
    errno === 1698
  )
    return `${where} refused the login of "${user}": check the user and password in DATABASE_URL`;
  if (code === '42501' || code === 'ER_DBACCESS_DENIED_ERROR' || errno === 1044)
    return `"${user}" may not create databases on ${where}: ask for "${name}" to be made, or make it as a user who may: ${createDatabaseCommand(url, 'admin')}`;
  // No server there:
  const network =
    typeof code === 'string' &&
    /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET)$/.test(code)
      ? code
      : /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|Timeout acquiring a connection/.exec(text)?.[0];
  if (network) return `cannot reach ${where} (${network}): is it running, and is DATABASE_URL right?`;
  // pg reports an unreachable server inside an AggregateError.
  const inner = (error as { errors?: unknown[] }).errors;
  if (Array.isArray(inner) && inner.length > 0) return databaseProblem(inner[0], url);
  return undefined;
}
