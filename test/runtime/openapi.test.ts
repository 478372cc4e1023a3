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
import { describeRoute, openApiDocument, fieldSchema } from '../../runtime/openapi/document.js';
import { BaseService } from '../../runtime/services/base-service.js';
import { createLogger } from '../../runtime/utils/logger.js';
import Router from '@koa/router';
import type { RouteFactory } from '../../runtime/app.js';
import { ALL_TYPES_FIELDS } from '../helpers/fields.js';
import { openApiChecker } from '../helpers/openapi.js';

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

test("a resource's create example is valid by its own schema and accepted by the request validation", async (t) => {
  const { resourceBody } = await import('../../runtime/fields/validation.js');
  const document = openApiDocument(routers, { title: 'doc-api', version: '1.0.0' });
  const checker = openApiChecker(document);
  const schemas = (document.components as { schemas: Record<string, { examples: Array<Record<string, unknown>> }> }).schemas;
  const example = schemas.ArticleCreate!.examples[0]!;
  t.deepEqual(Object.keys(example).sort(), fields.map((field) => field.name).sort(), 'every field has an example');
  t.deepEqual(checker.schema('ArticleCreate', example), []);
  t.deepEqual(checker.schema('ArticleUpdate', example), []);
  await t.notThrowsAsync(resourceBody(fields).parse(example, 'create'));
  // The example keeps to each field's own rules (title is min:3, max:120; rating is gt:0, lt:10).
  const bounded = parseFieldSpecs(['code:string:required,min:12,max:14', 'score:integer:gte:100', 'ratio:float:lt:1', 'cut:percent:lte:5']);
  const { fieldExample } = await import('../../runtime/openapi/document.js');
  const values = Object.fromEntries(bounded.map((field) => [field.name, fieldExample(field)]));
  t.true(String(values.code).length >= 12 && String(values.code).length <= 14, String(values.code));
  t.true(Number(values.score) >= 100 && Number(values.ratio) < 1 && Number(values.cut) <= 5, JSON.stringify(values));
  await t.notThrowsAsync(resourceBody(bounded).parse(values, 'create'));
});

test('409 is documented only where a unique field can clash, 429 only when rate limiting is on', (t) => {
  const Note = new Model({ name: 'Note', table: 'notes', fields: parseFieldSpecs(['body:text:required']) } as never);
  const noteFields = parseFieldSpecs(['body:text:required']);
  const noteRoutes: RouteFactory = () => {
    const controller = new ResourceController({ db, model: Note as never, fields: noteFields, service: new BaseService(new BaseRepository(db, Note as never)) });
    return new Router({ prefix: '/api/notes' }).post('notes.store', '/', controller.store);
  };
  const services = appServices({ settings, db, logger: createLogger({ level: 'silent' }) });
  type Paths = Record<string, Record<string, { responses: Record<string, unknown> }>>;
  const plain = openApiDocument(appRouters(services, [articleRoutes, noteRoutes]), { title: 'x', version: '1' }).paths as Paths;
  t.truthy(plain['/api/articles']!.post!.responses['409'], 'articles have unique fields');
  t.falsy(plain['/api/notes']!.post!.responses['409'], 'notes have none');
  t.falsy(plain['/api/articles']!.post!.responses['429']);
  const limited = openApiDocument(appRouters(services, [articleRoutes, noteRoutes]), { title: 'x', version: '1', rateLimited: true }).paths as Paths;
  t.truthy(limited['/api/articles']!.post!.responses['429']);
  t.truthy(limited['/health']!.get!.responses['429']);
});

test('routes describe themselves: auth bodies (the form login for OAuth2), uploads as multipart, hand-written descriptions', (t) => {
  const withUploads: RouteFactory = () => {
    const controller = new ResourceController({ db, model: Article as never, fields, service: new BaseService(new BaseRepository(db, Article as never)), uploads: { disk: {} as never, maxBytes: 1024 } });
    return new Router({ prefix: '/api/articles' }).post('articles.upload_cover', '/:id/cover', ...controller.upload('cover'));
  };
  const report: RouteFactory = () =>
    new Router().post('reports.run', '/api/reports/:id/run', describeRoute({
      summary: 'Run a report now',
      description: 'Queues the report; the result is e-mailed to its owner.',
      body: { schema: { type: 'object', properties: { format: { enum: ['csv', 'pdf'] } }, required: ['format'] } },
      responses: { 202: { description: 'Queued', data: { type: 'object', properties: { job_id: { type: 'string' } } } } },
    }, function run(ctx) {
      ctx.status = 202;
    }));
  const plainRoute: RouteFactory = () => new Router().get('plain', '/api/plain', (ctx) => (ctx.body = {}));
  const document = openApiDocument(appRouters(appServices({ settings, db, logger: createLogger({ level: 'silent' }) }), [authRoutes, withUploads, report, plainRoute]), { title: 'x', version: '1' });
  type Operation = { summary: string; description?: string; requestBody?: { content: Record<string, { schema: Record<string, any> }> }; responses: Record<string, { content?: Record<string, unknown> }> };
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const login = paths['/api/auth/login']!.post!;
  t.deepEqual(Object.keys(login.requestBody!.content), ['application/x-www-form-urlencoded']);
  t.deepEqual(login.requestBody!.content['application/x-www-form-urlencoded']!.schema.required, ['username', 'password']);
  t.truthy(login.responses['429'], 'the lockout');
  t.truthy(paths['/api/auth/register']!.post!.responses['409'], 'the e-mail is taken');
  t.truthy(paths['/api/auth/register']!.post!.requestBody!.content['application/json']);
  const upload = paths['/api/articles/{id}/cover']!.post!;
  t.is(upload.requestBody!.content['multipart/form-data']!.schema.properties.file.contentMediaType, 'image/*');
  t.truthy(upload.responses['413']);
  const run = paths['/api/reports/{id}/run']!.post!;
  t.is(run.summary, 'Run a report now');
  t.is(run.description, 'Queues the report; the result is e-mailed to its owner.');
  t.deepEqual(Object.keys(run.responses).filter((status) => status.startsWith('2')), ['202']);
  t.truthy(run.responses['422'], 'a route with a body can answer 422');
  t.is(paths['/api/plain']!.get!.summary, 'plain', 'an undescribed route gets its name');
  t.truthy(paths['/docs']!.get!.responses['200']!.content!['text/html'], '/docs is a page, not an envelope');
});
