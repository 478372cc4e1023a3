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
  const list = (process.env.FASTPY_TEST_DATABASES ?? 'sqlite,postgresql,mysql').split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of list) {
    if (!(item in DATABASE_URLS)) throw new Error(`FASTPY_TEST_DATABASES: unknown database "${item}" (use sqlite, postgresql, mysql)`);
  }
  return list as Driver[];
}
