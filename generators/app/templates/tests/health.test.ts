// Health endpoints, including readiness turning 503 when the database is unreachable.
import test from 'ava';
import type { Knex } from 'knex';
import { assertError, buildApp, client, migratedDatabase, testSettings, unreachableDatabase } from './helpers.js';

let db: Knex;

test.before(async () => {
  db = await migratedDatabase();
});

test.after.always(async () => {
  await db.destroy();
});

test('GET /health/ answers ok in the success envelope', async (t) => {
  const response = await client(buildApp({ db })).get('/health/');
  t.is(response.status, 200);
  t.like(response.body, { success: true, message: 'Service is healthy', data: { status: 'ok' } });
  t.regex(response.body.timestamp, /Z$/);
});

test('GET /health/live answers while the process runs', async (t) => {
  const response = await client(buildApp({ db })).get('/health/live');
  t.is(response.status, 200);
  t.is(response.body.data.status, 'alive');
});

test('GET /health/ready checks the database', async (t) => {
  const response = await client(buildApp({ db })).get('/health/ready');
  t.is(response.status, 200);
  t.deepEqual(response.body.data, { status: 'ready', checks: { database: 'ok' } });
});

test('GET /health/info names the app, environment and database driver', async (t) => {
  const settings = testSettings();
  const response = await client(buildApp({ db, settings })).get('/health/info');
  t.is(response.status, 200);
  t.like(response.body.data, { name: settings.appName, environment: 'test', database: settings.database.driver });
  t.is(typeof response.body.data.uptime_seconds, 'number');
});

test('GET /health/ready is 503 when the database cannot be reached', async (t) => {
  const { settings: unreachable, db: lost } = unreachableDatabase();
  try {
    const response = await client(buildApp({ db: lost, settings: unreachable })).get('/health/ready');
    assertError(t, response, 503, 'SERVICE_UNAVAILABLE');
    t.deepEqual(response.body.errors, { database: ['unavailable'] });
    // Liveness does not depend on the database: the process is fine.
    t.is((await client(buildApp({ db: lost, settings: unreachable })).get('/health/live')).status, 200);
  } finally {
    await lost.destroy();
  }
});

test('GET /health/ready is 503 once the connection pool is gone', async (t) => {
  const gone = await migratedDatabase();
  await gone.destroy();
  const response = await client(buildApp({ db: gone })).get('/health/ready');
  assertError(t, response, 503, 'SERVICE_UNAVAILABLE');
});
