// The OpenAPI document: valid OpenAPI 3.1 (checked by a validator package), every route of the route
// table in it, and a resource's schemas derived from its field definitions.
import test from 'ava';
import knex from 'knex';
import { Validator } from '@seriousme/openapi-schema-validator';
import { appRouters, appServices } from '../../runtime/app.js';
import { loadSettings } from '../../runtime/config/settings.js';
import { ResourceController } from '../../runtime/controllers/resource-controller.js';
import { knexConfigFromUrl } from '../../runtime/database/dialects.js';
import { parseFieldSpecs } from '../../runtime/fields/spec.js';
import { Model } from '../../runtime/models/base-model.js';
import { BaseRepository } from '../../runtime/repositories/base-repository.js';
import { authRoutes } from '../../runtime/routes/auth.js';
import { describeRoutes } from '../../runtime/routes/route-table.js';
import { openApiDocument, fieldSchema } from '../../runtime/openapi/document.js';
import { BaseService } from '../../runtime/services/base-service.js';
import { createLogger } from '../../runtime/utils/logger.js';
import Router from '@koa/router';
import type { RouteFactory } from '../../runtime/app.js';
import { ALL_TYPES_FIELDS } from '../helpers/fields.js';

const fields = parseFieldSpecs(ALL_TYPES_FIELDS);
const db = knex(knexConfigFromUrl('sqlite::memory:'));
test.after.always(() => db.destroy());

const Article = new Model({ name: 'Article', table: 'articles', fields } as never);
const articleRoutes: RouteFactory = () => {
  const controller = new ResourceController({ db, model: Article as never, fields, service: new BaseService(new BaseRepository(db, Article as never)) });
  const router = new Router({ prefix: '/api/articles' });
  router.get('articles.index', '/', controller.index);
  router.post('articles.store', '/', controller.store);
  router.get('articles.show', '/:id', controller.show);
  router.patch('articles.update', '/:id', controller.update);
  router.delete('articles.destroy', '/:id', controller.destroy);
  return router;
};

const settings = loadSettings({ NODE_ENV: 'test', DOCS_ENABLED: 'true', APP_NAME: 'doc-api' });
const routers = appRouters(appServices({ settings, db, logger: createLogger({ level: 'silent' }) }), [authRoutes, articleRoutes]);

test('the document is valid OpenAPI 3.1 and lists every route of the route table', async (t) => {
  const document = openApiDocument(routers, { title: 'doc-api', version: '1.0.0' });
  const result = await new Validator().validate(document as never);
  t.true(result.valid, JSON.stringify(result.errors, null, 2));
  const paths = document.paths as Record<string, Record<string, { operationId: string; security?: unknown[]; responses: Record<string, unknown> }>>;
  for (const row of describeRoutes(routers)) {
    const path = row.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/';
    const operation = paths[path]?.[row.method.toLowerCase()];
    t.truthy(operation, `${row.method} ${row.path}`);
    t.is(Boolean(operation?.security), row.protected, `${row.method} ${row.path} security`);
    if (row.protected) t.truthy(operation!.responses['401']);
  }
  t.truthy(paths['/openapi.json']?.get, 'it describes itself');
});

test("a resource's schemas come from its fields: types, formats, lengths, bounds, nullability, required", (t) => {
  const document = openApiDocument(routers, { title: 'doc-api', version: '1.0.0' });
  const schemas = (document.components as { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required: string[] }> }).schemas;
  const create = schemas.ArticleCreate!;
  t.deepEqual(Object.keys(create.properties).sort(), fields.map((field) => field.name).sort());
  t.like(create.properties.title, { type: 'string', maxLength: 120, minLength: 3 });
  t.true(create.required.includes('title'));
  const byType = Object.fromEntries(fields.map((field) => [field.type, fieldSchema(field)]));
  t.like(byType.email, { format: 'email' });
  t.like(byType.uuid, { format: 'uuid' });
  t.like(byType.datetime, { format: 'date-time' });
  const types = (schema: Record<string, unknown> | undefined) => ([] as unknown[]).concat(schema?.type);
  t.true(types(byType.boolean).includes('boolean'));
  t.true(types(byType.integer).includes('integer'));
  t.true(types(byType.money).includes('string') && typeof byType.money!.pattern === 'string', 'exact decimals travel as strings');
  t.true(types(byType.json).includes('object') && types(byType.json).includes('array'));
  t.is(byType.bigint!.pattern, '^-?\\d+$');
  const paths = document.paths as Record<string, Record<string, { parameters?: Array<{ name: string }>; requestBody?: unknown }>>;
  const listParameters = paths['/api/articles']!.get!.parameters!.map((parameter) => parameter.name);
  for (const name of ['page', 'per_page', 'sort', 'search', 'trashed', 'filter[title]']) t.true(listParameters.includes(name), name);
  t.truthy(paths['/api/articles']!.post!.requestBody);
  t.truthy(paths['/api/articles/{id}']!.patch!.requestBody);
});

test('documented patterns accept and refuse what the request validation does', async (t) => {
  const { isColor, isPhone, isSlug } = await import('../../runtime/fields/formats.js');
  const pattern = (type: string) => new RegExp(String(fieldSchema(parseFieldSpecs([`x:${type}:required`])[0]!).pattern));
  for (const [type, check, values] of [
    ['phone', isPhone, ['+14155550100', '555-0100', '+0123', '(415) 555 0100']],
    ['slug', isSlug, ['hello-world', 'Hello', 'a--b', 'a1-b2']],
    ['color', isColor, ['#ff8800', '#FF8800', 'ff8800', '#fff']],
  ] as const) {
    for (const value of values) t.is(pattern(type).test(value), check(value), `${type} ${value}`);
  }
  t.true(pattern('time').test('10:30') && pattern('time').test('10:30:00') && !pattern('time').test('25:00'));
});

test('a required field is never null; an optional one may be', (t) => {
  const [required, optional] = parseFieldSpecs(['name:string:required,max:50', 'nickname:string:nullable']);
  t.deepEqual(fieldSchema(required!).type, 'string');
  t.deepEqual(fieldSchema(optional!).type, ['string', 'null']);
});

test('/docs serves Swagger UI from the app itself, under its own CSP; only its own assets', async (t) => {
  const { createApp } = await import('../../runtime/app.js');
  const app = createApp({ settings, db, logger: createLogger({ level: 'silent' }), routes: [authRoutes] });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.teardown(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  const docs = await fetch(`${base}/docs`);
  t.is(docs.status, 200);
  const html = await docs.text();
  t.regex(html, /<script src="\/docs\/assets\/swagger-ui-bundle\.js"><\/script>/);
  t.notRegex(html, /https?:\/\//, 'no CDN');
  t.regex(docs.headers.get('content-security-policy')!, /script-src 'self'/);
  for (const asset of ['/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css', '/docs/init.js']) {
    const response = await fetch(`${base}${asset}`);
    t.is(response.status, 200, asset);
    t.true((await response.arrayBuffer()).byteLength > 100, asset);
  }
  t.regex(await (await fetch(`${base}/docs/init.js`)).text(), /url: '\/openapi\.json'/);
  for (const path of ['/docs/assets/package.json', '/docs/assets/..%2Fpackage.json', '/docs/assets/index.html']) t.is((await fetch(`${base}${path}`)).status, 404, path);
  t.regex((await fetch(`${base}/openapi.json`)).headers.get('content-security-policy')!, /default-src 'none'/, 'the API keeps its strict policy');
  const off = createApp({ settings: loadSettings({ NODE_ENV: 'test', DOCS_ENABLED: 'false' }), db, logger: createLogger({ level: 'silent' }), routes: [] });
  const offServer = off.listen(0, '127.0.0.1');
  await new Promise((resolve) => offServer.once('listening', resolve));
  t.teardown(() => offServer.close());
  const offBase = `http://127.0.0.1:${(offServer.address() as import('node:net').AddressInfo).port}`;
  t.is((await fetch(`${offBase}/docs`)).status, 404);
  t.is((await fetch(`${offBase}/openapi.json`)).status, 404);
});
