// Project tasks for the fastpy CLI (fastpy db:migrate | db:rollback | db:fresh | db:seed | route:list);
// also runnable directly: npx tsx src/console.ts <routes|migrate|rollback|fresh|seed|status> [--options]
import { readSettingsOrExit } from './config/index.js';
import { runConsole } from './console-tasks.js';
import { createDatabase } from './database/connection.js';
import { routes } from './routes/index.js';
import { createLogger } from './utils/logger.js';

const settings = readSettingsOrExit();
const logger = createLogger({ level: 'warn', name: settings.appName });
const db = createDatabase(settings.database, { logger });
try {
  process.exitCode = await runConsole(process.argv.slice(2), { settings, db, logger, routes });
} finally {
  await db.destroy();
}
