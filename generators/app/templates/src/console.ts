// Project tasks for the fastpy CLI (fastpy db:create | db:migrate | db:rollback | db:fresh | db:seed |
// db:status | route:list | doctor); also runnable directly: npx tsx src/console.ts <task> [--options]
import { readSettings, readSettingsOrExit } from './config/index.js';
import { facades } from './bootstrap.js';
import { runConsole } from 'fastpy-runtime/console';
import { createDatabase } from 'fastpy-runtime/database';
import { User } from './models/user.js';
import { routes } from './routes/index.js';
import { createLogger } from 'fastpy-runtime/utils';
import { pingRedis as pingRedisAt } from '#libs';

// Exit code 2 tells `fastpy doctor` the settings are invalid (their problems are printed).
const settings = readSettingsOrExit(2);
const logger = createLogger({ level: 'error', name: settings.appName });
const db = createDatabase(settings.database, { logger });
// doctor pings Redis whenever REDIS_URL is set.
const redisUrl = settings.redisUrl;
const pingRedis = redisUrl ? () => pingRedisAt(redisUrl) : undefined;
try {
  // db:create also makes the test suite's database (.env.test's DATABASE_URL, or TEST_DATABASE_URL).
  const testDatabaseUrl = () => readSettings({ ...process.env, NODE_ENV: 'test' }).database.url;
  process.exitCode = await runConsole(process.argv.slice(2), {
    settings,
    db,
    logger,
    routes,
    users: User,
    facades,
    pingRedis,
    testDatabaseUrl,
  });
} finally {
  await db.destroy();
}
