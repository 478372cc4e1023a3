// Test helpers: the project's settings, middleware and routes on .env.test's database, through
// fastpy-runtime/testing's kit (the framework's own behaviour is tested in fastpy-runtime's suite).
import { createTestKit } from 'fastpy-runtime/testing';
import { facades } from '../src/bootstrap.js';
import { SETTINGS_DEFAULTS } from '../src/config/index.js';
import { userFactory } from '../src/factories/user-factory.js';
import { middleware, stack } from '../src/middleware/index.js';
import { User } from '../src/models/user.js';
import { routes } from '../src/routes/index.js';

export const { testSettings, migratedDatabase, buildApp, accessToken, unreachableDatabase } = createTestKit({
  defaults: SETTINGS_DEFAULTS,
  middleware,
  stack,
  routes,
  users: User,
  userFactory,
  facades,
});
export { assertError, client, silentLogger, uniqueTable, unreachableDatabaseUrl } from 'fastpy-runtime/testing';
