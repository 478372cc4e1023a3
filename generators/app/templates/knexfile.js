// Knex CLI configuration: npx knex migrate:latest | migrate:rollback | migrate:make <name> | seed:run.
// Migrations and seeders are TypeScript, so tsx is registered before Knex loads them.
import { register } from 'tsx/esm/api';

register();
const { readSettings } = await import('./src/config/index.ts');
const { databaseConfig } = await import('fastpy-runtime/database');

export default databaseConfig(readSettings().database);
