// The project's tasks behind `fastpy db:*`, `fastpy route:list` and `fastpy user:admin`: migrations,
// seeders, the route table and admins, run inside the project (src/console.ts) with its own
// settings, database and routes.
import { FastpyError } from './utils/errors.js';
import { existsSync, readdirSync } from 'node:fs';
import type { Knex } from 'knex';
import { appRouters, appServices, type RouteFactory, type RuntimeFacades } from './app.js';
import { normaliseEmail } from './auth/auth-service.js';
import { hashPassword } from './auth/passwords.js';
import type { Settings } from './config/settings.js';
import { redactUrl } from './database/dialects.js';
import { databaseName, databaseProblem, ensureDatabase } from './database/server.js';
import { mustBeSent } from './fields/spec.js';
import type { Model } from './models/base-model.js';
import { User, type UserRecord } from './models/user.js';
import { BaseRepository } from './repositories/base-repository.js';
import { describeRoutes, formatRouteTable } from './routes/route-table.js';
import type { Logger } from './utils/logger.js';
import { MissingPackageError } from './utils/optional-package.js';

export interface ConsoleContext {
  settings: Settings;
  db: Knex;
  logger: Logger;
  routes: RouteFactory[];
  /** The project's User model (src/models/user.ts). Default: authentication's columns only. */
  users?: Model<UserRecord>;
  /** The project's facades (src/bootstrap.ts): `admin --create` hashes the password with its Hash. */
  facades?: Partial<RuntimeFacades>;
  /** Pings Redis, when the project uses it (for doctor). */
  pingRedis?: () => Promise<unknown>;
  /** Where output goes (default: stdout). */
  out?: (line: string) => void;
  /** Where a failed task's one line goes (default: stderr). */
  err?: (line: string) => void;
  /** The environment (default: process.env): `admin --create` reads FASTPY_ADMIN_PASSWORD from it. */
  env?: Record<string, string | undefined>;
  /** The test suite's DATABASE_URL (.env.test), for `create`. */
  testDatabaseUrl?: () => string;
}

/** A task's arguments: `--flag`, `--name value`. */
function flags(args: string[]): Record<string, string | true> {
  const parsed: Record<string, string | true> = {};
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (!arg.startsWith('--')) throw new ConsoleError(`unexpected argument "${arg}"`);
    const next = args[index + 1];
    if (next !== undefined && !next.startsWith('--')) {
      parsed[arg.slice(2)] = next;
      index++;
    } else parsed[arg.slice(2)] = true;
  }
  return parsed;
}

/**
 * `admin --email <address>`: that user becomes an admin; with `--create [--name <n>]` an active,
 * verified admin is made when nobody has the address, its password from FASTPY_ADMIN_PASSWORD (kept
 * out of the process list and shell history) or `--password <p>`. Says what it did, in one line.
 */
async function makeAdmin(context: ConsoleContext, options: Record<string, string | true>): Promise<string> {
  if (typeof options.email !== 'string' || !options.email.includes('@'))
    throw new ConsoleError('admin needs --email <address> (the user to make an admin)');
  if (!(await context.db.schema.hasColumn('users', 'role')))
    throw new ConsoleError('the users table has no role column yet: run the migrations first (fastpy db:migrate)');
  const email = normaliseEmail(options.email);
  const users = new BaseRepository(context.db, context.users ?? User);
  const existing = await users.findBy('email', email);
  if (existing) {
    if (existing.role === 'admin') return `✓ ${email} is an admin already`;
    await users.update(existing.id, { role: 'admin' });
    const disabled = existing.is_active
      ? ''
      : '; the account is disabled (is_active = false): it cannot log in until it is enabled';
    return `✓ ${email} is an admin now (was ${existing.role})${disabled}`;
  }
  if (options.create !== true)
    throw new ConsoleError(`no user has the e-mail ${email}: add --create (and FASTPY_ADMIN_PASSWORD) to make one`);
  const min = context.settings.auth.passwordMinLength;
  const password =
    typeof options.password === 'string' ? options.password : (context.env ?? process.env).FASTPY_ADMIN_PASSWORD;
  if (password === undefined || password.length < min)
    throw new ConsoleError(
      `--create needs a password of at least ${min} characters: FASTPY_ADMIN_PASSWORD in the environment, or --password <password>`,
    );
  // The project's own required fields have no value here: such an account is made by registering.
  const needed = users.model.fields.filter(mustBeSent).map((field) => field.name);
  if (needed.length > 0)
    throw new ConsoleError(
      `--create cannot fill the users fields ${needed.join(', ')} (required, no default): register the account (POST /api/auth/register), then promote it: fastpy user:admin ${email}`,
    );
  const name = (typeof options.name === 'string' && options.name.trim()) || email.split('@')[0]!;
  const user = await users.create({
    name,
    email,
    password_hash: await hashPassword(password, context.facades?.Hash),
    is_active: true,
    email_verified_at: new Date(),
    role: 'admin',
  });
  return `✓ created the admin ${email} (id ${user.id})`;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** A task that cannot run as asked: the message is for the user. */
export class ConsoleError extends FastpyError {
  constructor(message: string) {
    super('E_CONSOLE', message);
  }
}

function positive(value: string | true | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === true || !/^\d+$/.test(value) || Number(value) < 1)
    throw new ConsoleError(`--${name} needs a whole number ≥ 1`);
  return Number(value);
}

function seedDirectory(db: Knex): string {
  return (db.client as { config: { seeds?: { directory?: string } } }).config.seeds?.directory ?? 'src/seeders';
}

/** The seeder file for a name: its table (`users`), `00_users` or `00_users.ts`. */
export function findSeeder(directory: string, name: string): string {
  const files = existsSync(directory) ? readdirSync(directory).filter((file) => file.endsWith('.ts')) : [];
  const wanted = [name, `${name}.ts`].map((value) => value.toLowerCase());
  const found = files.find(
    (file) =>
      wanted.includes(file.toLowerCase()) ||
      wanted.includes(file.replace(/^\d+_/, '').replace(/\.ts$/, '').toLowerCase()),
  );
  if (!found) throw new ConsoleError(`no seeder "${name}" in ${directory}; seeders: ${files.join(', ') || 'none'}`);
  return found;
}

const TASKS = [
  'routes',
  'create',
  'migrate',
  'rollback',
  'fresh',
  'seed',
  'status',
  'doctor',
  'inspect',
  'admin',
] as const;

/** One line of `fastpy doctor`: what was checked, whether it is fine, and what to do when not. */
export interface Check {
  ok: boolean;
  label: string;
  fix?: string;
}

/** The project's health as `fastpy doctor` reports it: settings, database, migrations, Redis. */
export async function doctorChecks(context: ConsoleContext, ping?: () => Promise<unknown>): Promise<Check[]> {
  const { settings, db } = context;
  const checks: Check[] = [{ ok: true, label: `settings are valid (${settings.env})` }];
  try {
    await db.raw('select 1');
    checks.push({
      ok: true,
      label: `database reachable (${settings.database.driver}, ${redactUrl(settings.database.url)})`,
    });
    const [, pending] = (await db.migrate.list()) as [unknown[], Array<{ file: string }>];
    checks.push(
      pending.length === 0
        ? { ok: true, label: 'no pending migrations' }
        : {
            ok: false,
            label: `${plural(pending.length, 'pending migration')}: ${pending.map((migration) => migration.file).join(', ')}`,
            fix: 'run fastpy db:migrate',
          },
    );
  } catch (error) {
    const problem = databaseProblem(error, settings.database.url);
    checks.push({
      ok: false,
      label: `database unreachable (${settings.database.driver}, ${redactUrl(settings.database.url)}): ${problem ?? (error as Error).message.split('\n')[0]}`,
      fix: problem?.includes('db:create')
        ? 'run fastpy db:create'
        : 'start the database server, or fix DATABASE_URL in .env',
    });
  }
  if (settings.redisUrl) {
    try {
      if (!ping) throw new Error('no client');
      await ping();
      checks.push({ ok: true, label: `Redis reachable (${redactUrl(settings.redisUrl)})` });
    } catch (error) {
      checks.push(
        error instanceof MissingPackageError
          ? {
              ok: false,
              label: `Redis (${redactUrl(settings.redisUrl)}): ${error.packageName} is not installed`,
              fix: `fastpy add ${error.feature} (or remove REDIS_URL from .env)`,
            }
          : {
              ok: false,
              label: `Redis unreachable (${redactUrl(settings.redisUrl)}): ${(error as Error).message}`,
              fix: 'start Redis, or fix REDIS_URL in .env',
            },
      );
    }
  }
  return checks;
}

/** What `inspect` tells a generator about the project's database. */
export interface DatabaseInspection {
  migrations: { run: string[]; pending: string[] };
  /** The table asked about, or null when it does not exist. */
  table: { rows: number; withoutValue: Record<string, number> } | null;
}

/**
 * Migrations run and pending, and for a table its row count and the rows with no value (NULL) per column.
 *
 * @example
 * await inspectDatabase(db, 'posts', ['subtitle']) // { migrations: {…}, table: { rows: 3, withoutValue: { subtitle: 2 } } }
 */
export async function inspectDatabase(
  db: Knex,
  table: string | undefined,
  columns: readonly string[],
): Promise<DatabaseInspection> {
  const [completed, pending] = (await db.migrate.list()) as [Array<{ name: string }>, Array<{ file: string }>];
  const migrations = {
    run: completed.map((migration) => migration.name),
    pending: pending.map((migration) => migration.file),
  };
  if (!table || !(await db.schema.hasTable(table))) return { migrations, table: null };
  const count = async (query: Knex.QueryBuilder) =>
    Number((await query.count<Array<{ count: unknown }>>({ count: '*' }))[0]?.count ?? 0);
  const withoutValue: Record<string, number> = {};
  for (const column of columns)
    if (await db.schema.hasColumn(table, column)) withoutValue[column] = await count(db(table).whereNull(column));
  return { migrations, table: { rows: await count(db(table)), withoutValue } };
}

/**
 * Runs migrations with one migrator; a migration that fails becomes a ConsoleError naming its file
 * and its reason in one line (DEBUG=1 adds the stack), instead of a stack trace.
 */
async function migrating<T>(context: ConsoleContext, run: (migrator: Knex.Migrator) => Promise<T>): Promise<T> {
  const migrator = context.db.migrate;
  try {
    return await run(migrator);
  } catch (error) {
    // Knex keeps the file it was running on the migrator (it only logs it).
    const file = (migrator as unknown as { _activeMigration?: { fileName?: string } })._activeMigration?.fileName;
    // Not the migration's fault: the database cannot be reached, or files of migrations that ran are gone (runConsole says so).
    if (databaseProblem(error, context.settings.database.url) || missingMigrations(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ConsoleError(
      `${file ? `${file} failed` : 'the migration failed'}: ${message.split('\n')[0]}${debugHint(error)}`,
    );
  }
}

/** Knex's "migration directory is corrupt" (migrations that ran, whose files are gone), said as what to do. */
function missingMigrations(error: unknown): string | undefined {
  const missing = /migration directory is corrupt, the following files are missing: (.*)/i.exec(
    error instanceof Error ? error.message : '',
  )?.[1];
  return (
    missing &&
    `these migrations have run, but their files are gone: ${missing}. Put them back (git checkout, or from where they were moved), or roll back on the machine that has them`
  );
}

/** The stack with DEBUG=1, else how to see it. */
const debugHint = (error: unknown) =>
  process.env.DEBUG ? `\n${(error as Error).stack ?? ''}` : '\n(DEBUG=1 shows the stack)';

/** Check lines with ✓/✗ and, for a ✗, what to do. */
export function formatChecks(checks: readonly Check[]): string {
  return checks
    .map((check) => `${check.ok ? '✓' : '✗'} ${check.label}${check.ok || !check.fix ? '' : `\n    → ${check.fix}`}`)
    .join('\n');
}

/**
 * Runs a task and returns the exit code.
 *
 * @example
 * process.exitCode = await runConsole(['rollback', '--steps', '2'], { settings, db, logger, routes });
 */
export async function runConsole(argv: string[], context: ConsoleContext): Promise<number> {
  const out = context.out ?? ((line: string) => console.log(line));
  const [task, ...rest] = argv;
  try {
    const options = flags(rest);
    switch (task) {
      case 'routes': {
        const rows = describeRoutes(
          appRouters(
            appServices({
              settings: context.settings,
              db: context.db,
              logger: context.logger,
              users: context.users,
              facades: context.facades,
            }),
            context.routes,
          ),
        );
        out(options.json ? JSON.stringify(rows, null, 2) : formatRouteTable(rows));
        return 0;
      }
      case 'create': {
        // The development database (.env) and the test suite's (.env.test), where they are on a server or in a file.
        let testUrl: string | undefined;
        try {
          testUrl = context.testDatabaseUrl?.();
        } catch (error) {
          throw new ConsoleError(
            `the test settings (.env.test) are not valid: ${(error as Error).message.replace(/^Invalid settings[^\n]*\n\s*-\s*/, '').split('\n')[0]}`,
          );
        }
        const urls = [context.settings.database.url, testUrl].filter(
          (url, index, all): url is string => url !== undefined && all.indexOf(url) === index,
        );
        for (const url of urls) {
          const outcome = await ensureDatabase(url).catch((error: unknown) => {
            throw new ConsoleError(
              databaseProblem(error, url) ??
                `cannot create the database of ${redactUrl(url)}: ${(error as Error).message.split('\n')[0]}${debugHint(error)}`,
            );
          });
          const name = databaseName(url);
          if (outcome !== 'in memory')
            out(outcome === 'created' ? `✓ created database ${name}` : `✓ database ${name} exists`);
        }
        return 0;
      }
      case 'migrate': {
        const [, pending] = (await context.db.migrate.list()) as [unknown[], unknown[]];
        if (pending.length > 1) out(`Running ${plural(pending.length, 'migration')}…`);
        const [batch, files] = (await migrating(context, (migrator) => migrator.latest())) as [number, string[]];
        out(
          files.length === 0
            ? 'Already up to date'
            : [`Batch ${batch} run: ${plural(files.length, 'migration')}`, ...files.map((file) => `  ✓ ${file}`)].join(
                '\n',
              ),
        );
        return 0;
      }
      case 'rollback': {
        if (options.all) {
          const [, files] = (await migrating(context, (migrator) => migrator.rollback(undefined, true))) as [
            number,
            string[],
          ];
          out(
            files.length === 0
              ? 'Nothing to roll back'
              : [`Rolled back ${plural(files.length, 'migration')}`, ...files.map((file) => `  ✓ ${file}`)].join('\n'),
          );
          return 0;
        }
        const steps = positive(options.steps, 'steps', 1);
        const undone: string[] = [];
        for (let step = 0; step < steps; step++) {
          const [, files] = (await migrating(context, (migrator) => migrator.down())) as [number, string[]];
          if (files.length === 0) break;
          undone.push(...files);
          out(`  ✓ rolled back ${files.join(', ')}`);
        }
        out(undone.length === 0 ? 'Nothing to roll back' : `Rolled back ${plural(undone.length, 'migration')}`);
        return 0;
      }
      case 'fresh': {
        if (context.settings.env === 'production' && !options.force) {
          throw new ConsoleError(
            'db:fresh drops every table, and NODE_ENV is production: pass --force if you really mean it',
          );
        }
        const [, dropped] = (await migrating(context, (migrator) => migrator.rollback(undefined, true))) as [
          number,
          string[],
        ];
        out(`Rolled back ${plural(dropped.length, 'migration')}`);
        const [, files] = (await migrating(context, (migrator) => migrator.latest())) as [number, string[]];
        out(`Ran ${plural(files.length, 'migration')}`);
        if (options.seed) return runConsole(['seed'], context);
        return 0;
      }
      case 'admin': {
        out(await makeAdmin(context, options));
        return 0;
      }
      case 'seed': {
        if (options.count !== undefined) process.env.SEED_COUNT = String(positive(options.count, 'count', 10));
        const specific =
          typeof options.seeder === 'string' ? findSeeder(seedDirectory(context.db), options.seeder) : undefined;
        const [files] = await context.db.seed.run(specific ? { specific } : undefined);
        out(
          files.length === 0
            ? 'No seeders to run'
            : [
                `Ran ${plural(files.length, 'seeder')}${process.env.SEED_COUNT ? ` (${process.env.SEED_COUNT} records each)` : ''}`,
                ...files.map((file) => `  ✓ ${file.split('/').at(-1)}`),
              ].join('\n'),
        );
        return 0;
      }
      case 'status': {
        const [completed, pending] = (await context.db.migrate.list()) as [
          Array<{ name: string }>,
          Array<{ file: string }>,
        ];
        out(
          [
            `${plural(completed.length, 'migration')} run, ${pending.length} pending`,
            ...pending.map((migration) => `  pending ${migration.file}`),
          ].join('\n'),
        );
        return 0;
      }
      case 'inspect': {
        // For the generators (JSON on one line): which migrations ran, and a table's rows without a value.
        const table = typeof options.table === 'string' ? options.table : undefined;
        const columns = typeof options.columns === 'string' ? options.columns.split(',').filter(Boolean) : [];
        out(JSON.stringify(await inspectDatabase(context.db, table, columns)));
        return 0;
      }
      case 'doctor': {
        const checks = await doctorChecks(context, context.pingRedis);
        out(formatChecks(checks));
        return checks.every((check) => check.ok) ? 0 : 1;
      }
      default:
        throw new ConsoleError(`unknown task "${task ?? ''}"; tasks: ${TASKS.join(', ')}`);
    }
  } catch (error) {
    // A database that cannot be reached or opened is one line that says what to do, whatever the task.
    const message =
      error instanceof ConsoleError
        ? error.message
        : (databaseProblem(error, context.settings.database.url) ?? missingMigrations(error));
    if (message) {
      (context.err ?? console.error)(`fastpy: ${message}${error instanceof ConsoleError ? '' : debugHint(error)}`);
      return 1;
    }
    throw error;
  }
}
