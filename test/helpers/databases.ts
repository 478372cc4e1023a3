// The databases DB-backed tests run against, as knex's own suite does: every dialect from one list.
// FASTPY_TEST_DATABASES=sqlite,postgresql,mysql (default all three); URLs overridable for other machines.
import type { Driver } from '../../runtime/database/dialects.js';

export const DATABASE_URLS: Record<Driver, string> = {
  sqlite: 'sqlite::memory:',
  postgresql: process.env.FASTPY_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
  mysql: process.env.FASTPY_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
};

export const REDIS_URL = process.env.FASTPY_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** The drivers to test, from FASTPY_TEST_DATABASES. */
export function testDrivers(): Driver[] {
  const list = (process.env.FASTPY_TEST_DATABASES ?? 'sqlite,postgresql,mysql')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const item of list) {
    if (!(item in DATABASE_URLS))
      throw new Error(`FASTPY_TEST_DATABASES: unknown database "${item}" (use sqlite, postgresql, mysql)`);
  }
  return list as Driver[];
}

/** The server's URL with another database name. */
export const databaseUrl = (driver: Exclude<Driver, 'sqlite'>, database: string) =>
  DATABASE_URLS[driver].replace(/\/[^/?]*(\?|$)/, `/${database}$1`);

/** Drops (and, unless `dropOnly`, creates) a database of its own on a server, for a test run or a benchmark. */
export async function recreateDatabase(
  driver: Exclude<Driver, 'sqlite'>,
  database: string,
  dropOnly = false,
): Promise<void> {
  if (!/^\w+$/.test(database)) throw new TypeError(`recreateDatabase(): "${database}" is not a plain database name`);
  const { default: knex } = await import('knex');
  const { knexConfigFromUrl } = await import('../../runtime/database/dialects.js');
  const admin = knex(knexConfigFromUrl(DATABASE_URLS[driver]));
  try {
    if (driver === 'postgresql') {
      await admin.raw(`drop database if exists ${database} with (force)`);
      if (!dropOnly) await admin.raw(`create database ${database}`);
    } else {
      await admin.raw(`drop database if exists ${database}`);
      if (!dropOnly) await admin.raw(`create database ${database} character set utf8mb4`);
    }
  } finally {
    await admin.destroy();
  }
}
