// The error contract: every failure is an error envelope with the right status and code, and no
// internals (stack traces, SQL, driver messages) leave the server outside development.
import Router from '@koa/router';
import test from 'ava';
import type { Knex } from 'knex';
import * as yup from 'yup';
import {
  ConflictException,
  ForbiddenException,
  NotFoundException,
  sendSuccess,
  ValidationException,
} from '../../../runtime/http.js';
import { assertError, client, uniqueTable } from '../../../runtime/testing/kit.js';
import { onEveryDatabase } from '../../helpers/framework-suite.js';

onEveryDatabase('api_errors', ({ it, ready, buildApp, testSettings, unreachableDatabase }) => {
  let db: Knex;
  const table = uniqueTable('errors_test');

  function routes(database: Knex) {
    return () => {
      const router = new Router();
      router.get('/boom', () => {
        throw new Error('secret internals: password=hunter2');
      });
      router.post('/echo', (ctx) => sendSuccess(ctx, ctx.request.body));
      router.get('/missing', () => {
        throw new NotFoundException('Post not found');
      });
      router.get('/forbidden', () => {
        throw new ForbiddenException();
      });
      router.get('/conflict', () => {
        throw new ConflictException('Slug already taken');
      });
      router.get('/invalid', () => {
        throw new ValidationException('The title is missing', { errors: { title: ['is required'] } });
      });
      router.post('/yup', async (ctx) => {
        const schema = yup.object({ title: yup.string().required(), views: yup.number().min(0) });
        sendSuccess(ctx, await schema.validate(ctx.request.body, { abortEarly: false }));
      });
      router.post('/duplicate', async (ctx) => {
        await database(table).insert({ code: 'same' });
        await database(table).insert({ code: 'same' });
        ctx.body = 'unreachable';
      });
      router.get('/query', async (ctx) => {
        sendSuccess(ctx, await database.raw('select 1 as one'));
      });
      return router;
    };
  }

  test.before(async () => {
    db = await ready();
    await db.schema.createTable(table, (t) => {
      t.increments('id');
      t.string('code', 50).notNullable().unique();
    });
  });

  test.after.always(async () => {
    await db.schema.dropTableIfExists(table);
  });

  const app = () => buildApp({ db, routes: [routes(db)] });

  it('an unknown route is a 404 envelope', async (t) => {
    const response = await client(app()).get('/nowhere');
    assertError(t, response, 404, 'NOT_FOUND');
    t.is(response.body.message, 'Route GET /nowhere not found');
  });

  it('a method the route does not have is a 405 envelope', async (t) => {
    const response = await client(app()).delete('/missing');
    assertError(t, response, 405, 'METHOD_NOT_ALLOWED');
    t.regex(String(response.headers.allow), /GET/);
  });

  it('application exceptions keep their status, code and message', async (t) => {
    assertError(t, await client(app()).get('/missing'), 404, 'NOT_FOUND');
    assertError(t, await client(app()).get('/forbidden'), 403, 'FORBIDDEN');
    const conflict = await client(app()).get('/conflict');
    assertError(t, conflict, 409, 'CONFLICT');
    t.is(conflict.body.message, 'Slug already taken');
    const invalid = await client(app()).get('/invalid');
    assertError(t, invalid, 422, 'VALIDATION_ERROR');
    t.deepEqual(invalid.body.errors, { title: ['is required'] });
  });

  it('malformed JSON is a 400, not a 500', async (t) => {
    const response = await client(app())
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send('{"title": "unterminated');
    assertError(t, response, 400, 'BAD_REQUEST');
    t.is(response.body.message, 'Malformed JSON in request body');
  });

  it('well-formed JSON reaches the route', async (t) => {
    const response = await client(app()).post('/echo').send({ title: 'Hello' });
    t.is(response.status, 200);
    t.deepEqual(response.body.data, { title: 'Hello' });
  });

  it('yup validation errors are a 422 naming each field', async (t) => {
    const response = await client(app()).post('/yup').send({ views: -1 });
    assertError(t, response, 422, 'VALIDATION_ERROR');
    t.deepEqual(Object.keys(response.body.errors).sort(), ['title', 'views']);
  });

  it('a unique violation from the database is a 409 without SQL in it', async (t) => {
    const response = await client(app()).post('/duplicate').send({});
    assertError(t, response, 409, 'CONFLICT');
    t.notRegex(JSON.stringify(response.body), /insert|constraint|duplicate entry|SQLITE/i);
  });

  it('an unexpected error is a 500 with no internals outside development', async (t) => {
    const response = await client(app()).get('/boom');
    assertError(t, response, 500, 'INTERNAL_ERROR');
    t.is(response.body.message, 'Internal server error');
    t.notRegex(JSON.stringify(response.body), /hunter2|secret internals|at .*\.ts/);
    t.is(response.body.debug, undefined);
  });

  it('in development a 500 carries the error and stack for the developer', async (t) => {
    const development = testSettings({ NODE_ENV: 'development' });
    const response = await client(buildApp({ db, settings: development, routes: [routes(db)] })).get('/boom');
    assertError(t, response, 500, 'INTERNAL_ERROR');
    t.regex(response.body.debug.error, /secret internals/);
    t.true(Array.isArray(response.body.debug.stack));
  });

  it('a lost database is a 503, and the app keeps serving', async (t) => {
    const { settings: unreachable, db: lost } = unreachableDatabase();
    try {
      const lostApp = buildApp({ db: lost, settings: unreachable, routes: [routes(lost)] });
      const response = await client(lostApp).get('/query');
      assertError(t, response, 503, 'SERVICE_UNAVAILABLE');
      t.notRegex(JSON.stringify(response.body), /ECONNREFUSED|127\.0\.0\.1|SQLITE/);
      t.is((await client(lostApp).get('/health/live')).status, 200);
    } finally {
      await lost.destroy();
    }
  });
});
