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
import { requireAuth, requireRole } from '../../runtime/auth/require-auth.js';
import { authRoutes } from '../../runtime/routes/auth.js';
import { describeRoutes } from '../../runtime/routes/route-table.js';
import { describeRoute, openApiDocument, fieldSchema } from '../../runtime/openapi/document.js';
import { BaseService } from '../../runtime/services/base-service.js';
import { createLogger } from '../../runtime/utils/logger.js';
import Router from '@koa/router';
import type { RouteFactory } from '../../runtime/app.js';
import { ALL_TYPES_FIELDS } from '../helpers/fields.js';
import { openApiChecker } from '../helpers/openapi.js';
import { redoclyFindings, spectralFindings } from '../helpers/openapi-lint.js';
import fc from 'fast-check';
import { normaliseDecimal } from '../../runtime/fields/formats.js';
import { TYPES } from '../../runtime/fields/spec.js';
import { decimalPattern } from '../../runtime/openapi/document.js';
import { resourceBody } from '../../runtime/fields/validation.js';

const fields = parseFieldSpecs(ALL_TYPES_FIELDS);
const db = knex(knexConfigFromUrl('sqlite::memory:'));
test.after.always(() => db.destroy());

const Article = new Model({ name: 'Article', table: 'articles', fields });
const articleRoutes: RouteFactory = () => {
  const controller = new ResourceController({
    db,
    model: Article,
    fields,
    service: new BaseService(new BaseRepository(db, Article)),
  });
  const router = new Router({ prefix: '/api/articles' });
  router.get('articles.index', '/', controller.index);
  router.post('articles.store', '/', controller.store);
  router.get('articles.show', '/:id', controller.show);
  router.patch('articles.update', '/:id', controller.update);
  router.delete('articles.destroy', '/:id', controller.destroy);
  return router;
};

const settings = loadSettings({ NODE_ENV: 'test', DOCS_ENABLED: 'true', APP_NAME: 'doc-api' });
const routers = appRouters(appServices({ settings, db, logger: createLogger({ level: 'silent' }) }), [
  authRoutes,
  articleRoutes,
]);

test('the document is valid OpenAPI 3.1 and lists every route of the route table', async (t) => {
  const document = openApiDocument(routers, { title: 'doc-api', version: '1.0.0' });
  const result = await new Validator().validate(document);
  t.true(result.valid, JSON.stringify(result.errors, null, 2));
  const paths = document.paths as Record<
    string,
    Record<string, { operationId: string; security?: unknown[]; responses: Record<string, unknown> }>
  >;
  for (const row of describeRoutes(routers)) {
    const path = row.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/';
    const operation = paths[path]?.[row.method.toLowerCase()];
    t.truthy(operation, `${row.method} ${row.path}`);
    t.is((operation?.security as unknown[]).length > 0, row.protected, `${row.method} ${row.path} security`);
    if (row.protected) t.truthy(operation!.responses['401']);
  }
  t.truthy(paths['/openapi.json']?.get, 'it describes itself');
});

test("a resource's schemas come from its fields: types, formats, lengths, bounds, nullability, required", (t) => {
  const document = openApiDocument(routers, { title: 'doc-api', version: '1.0.0' });
  const schemas = (
    document.components as {
      schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required: string[] }>;
    }
  ).schemas;
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
  t.true(
    types(byType.money).includes('string') && typeof byType.money!.pattern === 'string',
    'exact decimals travel as strings',
  );
  t.true(types(byType.json).includes('object') && types(byType.json).includes('array'));
  t.is(byType.bigint!.pattern, '^-?\\d+$');
  const paths = document.paths as Record<
    string,
    Record<string, { parameters?: Array<{ name: string }>; requestBody?: unknown }>
  >;
  const listParameters = paths['/api/articles']!.get!.parameters!.map((parameter) => parameter.name);
  for (const name of ['page', 'per_page', 'sort', 'search', 'trashed', 'filter[title]'])
    t.true(listParameters.includes(name), name);
  t.truthy(paths['/api/articles']!.post!.requestBody);
  t.truthy(paths['/api/articles/{id}']!.patch!.requestBody);
});

test('documented patterns accept and refuse what the request validation does', async (t) => {
  const { isColor, isPhone, isSlug } = await import('../../runtime/fields/formats.js');
  const pattern = (type: string) =>
    new RegExp(String(fieldSchema(parseFieldSpecs([`x:${type}:required`])[0]!).pattern));
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
  for (const path of ['/docs/assets/package.json', '/docs/assets/..%2Fpackage.json', '/docs/assets/index.html'])
    t.is((await fetch(`${base}${path}`)).status, 404, path);
  t.regex(
    (await fetch(`${base}/openapi.json`)).headers.get('content-security-policy')!,
    /default-src 'none'/,
    'the API keeps its strict policy',
  );
  const off = createApp({
    settings: loadSettings({ NODE_ENV: 'test', DOCS_ENABLED: 'false' }),
    db,
    logger: createLogger({ level: 'silent' }),
    routes: [],
  });
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
  const schemas = (document.components as { schemas: Record<string, { examples: Array<Record<string, unknown>> }> })
    .schemas;
  const example = schemas.ArticleCreate!.examples[0]!;
  t.deepEqual(Object.keys(example).sort(), fields.map((field) => field.name).sort(), 'every field has an example');
  t.deepEqual(checker.schema('ArticleCreate', example), []);
  t.deepEqual(checker.schema('ArticleUpdate', example), []);
  await t.notThrowsAsync(resourceBody(fields).parse(example, 'create'));
  // The example keeps to each field's own rules (title is min:3, max:120; rating is gt:0, lt:10).
  const bounded = parseFieldSpecs([
    'code:string:required,min:12,max:14',
    'score:integer:gte:100',
    'ratio:float:lt:1',
    'cut:percent:lte:5',
  ]);
  const { fieldExample } = await import('../../runtime/openapi/document.js');
  const values = Object.fromEntries(bounded.map((field) => [field.name, fieldExample(field)]));
  t.true(String(values.code).length >= 12 && String(values.code).length <= 14, String(values.code));
  t.true(Number(values.score) >= 100 && Number(values.ratio) < 1 && Number(values.cut) <= 5, JSON.stringify(values));
  await t.notThrowsAsync(resourceBody(bounded).parse(values, 'create'));
});

test('409 is documented only where a unique field can clash, 429 only when rate limiting is on', (t) => {
  const Note = new Model({ name: 'Note', table: 'notes', fields: parseFieldSpecs(['body:text:required']) });
  const noteFields = parseFieldSpecs(['body:text:required']);
  const noteRoutes: RouteFactory = () => {
    const controller = new ResourceController({
      db,
      model: Note,
      fields: noteFields,
      service: new BaseService(new BaseRepository(db, Note)),
    });
    return new Router({ prefix: '/api/notes' }).post('notes.store', '/', controller.store);
  };
  const services = appServices({ settings, db, logger: createLogger({ level: 'silent' }) });
  type Paths = Record<string, Record<string, { responses: Record<string, unknown> }>>;
  const plain = openApiDocument(appRouters(services, [articleRoutes, noteRoutes]), { title: 'x', version: '1' })
    .paths as Paths;
  t.truthy(plain['/api/articles']!.post!.responses['409'], 'articles have unique fields');
  t.falsy(plain['/api/notes']!.post!.responses['409'], 'notes have none');
  t.falsy(plain['/api/articles']!.post!.responses['429']);
  const limited = openApiDocument(appRouters(services, [articleRoutes, noteRoutes]), {
    title: 'x',
    version: '1',
    rateLimited: true,
  }).paths as Paths;
  t.truthy(limited['/api/articles']!.post!.responses['429']);
  t.truthy(limited['/health']!.get!.responses['429']);
});

test('routes describe themselves: auth bodies (the form login for OAuth2), uploads as multipart, hand-written descriptions', (t) => {
  const withUploads: RouteFactory = () => {
    const controller = new ResourceController({
      db,
      model: Article,
      fields,
      service: new BaseService(new BaseRepository(db, Article)),
      uploads: { disk: {} as never, maxBytes: 1024 },
    });
    return new Router({ prefix: '/api/articles' }).post(
      'articles.upload_cover',
      '/:id/cover',
      ...controller.upload('cover'),
    );
  };
  const report: RouteFactory = () =>
    new Router().post(
      'reports.run',
      '/api/reports/:id/run',
      describeRoute(
        {
          summary: 'Run a report now',
          description: 'Queues the report; the result is e-mailed to its owner.',
          body: { schema: { type: 'object', properties: { format: { enum: ['csv', 'pdf'] } }, required: ['format'] } },
          responses: {
            202: { description: 'Queued', data: { type: 'object', properties: { job_id: { type: 'string' } } } },
          },
        },
        function run(ctx) {
          ctx.status = 202;
        },
      ),
    );
  const plainRoute: RouteFactory = () => new Router().get('plain', '/api/plain', (ctx) => (ctx.body = {}));
  const document = openApiDocument(
    appRouters(appServices({ settings, db, logger: createLogger({ level: 'silent' }) }), [
      authRoutes,
      withUploads,
      report,
      plainRoute,
    ]),
    { title: 'x', version: '1' },
  );
  type Operation = {
    summary: string;
    description?: string;
    requestBody?: { content: Record<string, { schema: Record<string, any> }> };
    responses: Record<string, { content?: Record<string, unknown> }>;
  };
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const login = paths['/api/auth/login']!.post!;
  t.deepEqual(Object.keys(login.requestBody!.content), ['application/x-www-form-urlencoded', 'multipart/form-data']);
  t.deepEqual(login.requestBody!.content['multipart/form-data']!.schema.properties.grant_type.enum, [
    'password',
    'refresh_token',
  ]);
  t.truthy(login.responses['429'], 'the lockout');
  t.truthy(paths['/api/auth/register']!.post!.responses['409'], 'the e-mail is taken');
  t.truthy(paths['/api/auth/register']!.post!.requestBody!.content['application/json']);
  const upload = paths['/api/articles/{id}/cover']!.post!;
  t.is(upload.requestBody!.content['multipart/form-data']!.schema.properties.file.contentMediaType, 'image/*');
  t.truthy(upload.responses['413']);
  const run = paths['/api/reports/{id}/run']!.post!;
  t.is(run.summary, 'Run a report now');
  t.is(run.description, 'Queues the report; the result is e-mailed to its owner.');
  t.deepEqual(
    Object.keys(run.responses).filter((status) => status.startsWith('2')),
    ['202'],
  );
  t.truthy(run.responses['422'], 'a route with a body can answer 422');
  t.is(paths['/api/plain']!.get!.summary, 'plain', 'an undescribed route gets its name');
  t.truthy(paths['/docs']!.get!.responses['200']!.content!['text/html'], '/docs is a page, not an envelope');
});

// A resource with a relation to a protected one, an upload, and rate limiting on: every part of the
// document the linters can see.
const Comment = new Model({ name: 'Comment', table: 'comments', access: 'public' } as never);
const commentFields = parseFieldSpecs([
  'body:text:required',
  'article_id:integer:required,foreign:articles.id',
  'stars:integer:gte:1,lte:5,nullable',
  'score:decimal:gte:0,default:0',
  'flag:boolean:default:false',
]);
const ProtectedArticle = new Model({ name: 'Article', table: 'articles', access: 'bearer' } as never);
const commentRoutes: RouteFactory = ({ auth }) => {
  const controller = new ResourceController({
    db,
    auth,
    model: Comment,
    fields: commentFields,
    service: new BaseService(new BaseRepository(db, Comment)),
    relations: { article: { field: 'article_id', column: 'id', model: ProtectedArticle } },
  });
  const router = new Router({ prefix: '/api/comments' });
  router.get('comments.index', '/', controller.index);
  router.post('comments.store', '/', controller.store);
  router.get('comments.show', '/:id', controller.show);
  router.patch('comments.update', '/:id', controller.update);
  return router;
};
// The comments under each article (ResourceController.nested), as the article's routes file mounts them.
const articleCommentRoutes: RouteFactory = ({ auth }) => {
  const comments = new ResourceController({
    db,
    auth,
    model: Comment,
    fields: commentFields,
    service: new BaseService(new BaseRepository(db, Comment)),
    relations: { article: { field: 'article_id', column: 'id', model: ProtectedArticle } },
  }).nested(ProtectedArticle, 'article_id');
  return new Router({ prefix: '/api/articles' })
    .get('articles.comments.index', '/:id/comments', comments.index)
    .post('articles.comments.store', '/:id/comments', comments.store);
};
const uploadRoutes: RouteFactory = () => {
  const controller = new ResourceController({
    db,
    model: Article,
    fields,
    service: new BaseService(new BaseRepository(db, Article)),
    uploads: { disk: {} as never, maxBytes: 1024 },
  });
  return new Router({ prefix: '/api/articles' }).post(
    'articles.upload_cover',
    '/:id/cover',
    ...controller.upload('cover'),
  );
};
const fullDocument = (rateLimited: boolean) =>
  openApiDocument(
    appRouters(appServices({ settings, db, logger: createLogger({ level: 'silent' }) }), [
      authRoutes,
      articleRoutes,
      commentRoutes,
      articleCommentRoutes,
      uploadRoutes,
    ]),
    { title: 'doc-api', version: '1.0.0', rateLimited, contactUrl: 'https://api.example.com' },
  );

for (const rateLimited of [false, true]) {
  test(`Spectral (spectral:oas) and Redocly (recommended) find nothing in the document${rateLimited ? ', rate limited' : ''}`, async (t) => {
    const document = fullDocument(rateLimited);
    t.deepEqual(await spectralFindings(document), []);
    // Without rate limiting, the health and docs routes have no client error to document, and get no made-up one.
    const noClientError = /^warn operation-4xx-response at #\/paths\/~1(health|openapi\.json|docs)/;
    t.deepEqual(
      (await redoclyFindings(document)).filter((finding) => rateLimited || !noClientError.test(finding)),
      [],
    );
  });
}

type Json = Record<string, any>;
const component = (document: Json, name: string) => document.components.schemas[name] as Json;

test('examples keep to their own schemas; a field with a default is never documented as taking null', (t) => {
  const document = fullDocument(false);
  const check = openApiChecker(document);
  for (const name of ['Comment', 'CommentCreate', 'CommentUpdate', 'Article', 'ArticleCreate', 'ArticleUpdate']) {
    for (const [property, schema] of Object.entries(component(document, name).properties as Record<string, Json>)) {
      for (const example of schema.examples ?? [])
        t.deepEqual(
          check
            .schema(name, { ...(check.example(component(document, name)) as object), [property]: example })
            .filter((problem) => problem.startsWith(`/${property} `)),
          [],
          `${name}.${property} example ${JSON.stringify(example)}`,
        );
    }
  }
  t.deepEqual(component(document, 'Comment').properties.stars.examples, [5], 'the example is brought within lte:5');
  for (const name of ['Comment', 'CommentCreate', 'CommentUpdate']) {
    t.is(component(document, name).properties.flag.type, 'boolean', `${name}.flag`);
    t.is(component(document, name).properties.score.type, 'string', `${name}.score`);
    t.deepEqual(component(document, name).properties.stars.type, ['integer', 'null'], `${name}.stars is nullable`);
  }
  // body:text with no rule: a create may leave it out but not send null; a record may hold null.
  const article = parseFieldSpecs(['note:string'])[0]!;
  t.is(fieldSchema(article, 'input').type, 'string');
  t.deepEqual(fieldSchema(article, 'record').type, ['string', 'null']);
});

test('PATCH schemas document no default (an omitted field keeps its value); create schemas say what a left-out field becomes', (t) => {
  const document = fullDocument(false);
  const hasDefault = (schema: Json) => JSON.stringify(schema).includes('"default"');
  t.false(hasDefault(component(document, 'CommentUpdate')));
  t.false(hasDefault(component(document, 'ArticleUpdate')));
  t.regex(component(document, 'CommentCreate').properties.flag.description, /left out: false/);
  t.notRegex(String(component(document, 'CommentUpdate').properties.flag.description), /left out/);
  t.false(component(document, 'CommentCreate').required.includes('flag'));
});

test('the decimal pattern accepts exactly the strings the validation accepts, and no sign where the field cannot be negative', async (t) => {
  const [signed, unsigned] = parseFieldSpecs(['delta:decimal', 'price:decimal:gte:0']);
  const shape = TYPES.decimal.decimal!;
  const accepts = async (field: typeof signed, value: string) =>
    resourceBody([field!])
      .parse({ [field!.name]: value }, 'create')
      .then(
        () => true,
        () => false,
      );
  const text = fc.oneof(
    fc.stringMatching(/^[+\- ]?\d{0,11}(\.\d{0,4})?[ ]?$/),
    fc.constantFrom(
      '-1.00',
      ' 1.00',
      '1.00 ',
      '1.',
      '.5',
      '+0.50',
      '00000000012.30',
      '123456789.00',
      '-0.00',
      '1.2300',
    ),
  );
  await fc.assert(
    fc.asyncProperty(text, async (value) => {
      const pattern = new RegExp(decimalPattern(signed!), 'u');
      if (pattern.test(value) !== (normaliseDecimal(value, shape) !== undefined)) return false;
      if (pattern.test(value) !== (await accepts(signed, value))) return false;
      // Unsigned: whatever the pattern allows, the validation accepts.
      return !new RegExp(decimalPattern(unsigned!), 'u').test(value) || (await accepts(unsigned, value));
    }),
    { numRuns: 400 },
  );
  const unsignedPattern = new RegExp(decimalPattern(unsigned!), 'u');
  t.false(unsignedPattern.test('-1.00'), 'gte:0 documents no minus sign');
  t.false(await accepts(unsigned, '-1.00'));
  t.false(await accepts(signed, ' 1.00'), 'the API refuses what the pattern refuses');
  t.true(unsignedPattern.test('1.00') && (await accepts(unsigned, '1.00')));
});

test('bodies can be malformed (400), rate limits have their headers, includes their output, filters their parameters', (t) => {
  const document = fullDocument(true);
  const paths = document.paths as Json;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods as Json)) {
      const responses = (operation as Json).responses as Json;
      if ((operation as Json).requestBody)
        t.regex(responses['400']?.description ?? '', /not valid JSON/, `${method} ${path} 400`);
      t.truthy(responses['429']?.headers?.['Retry-After'], `${method} ${path} 429 Retry-After`);
      for (const response of Object.values(responses))
        t.truthy((response as Json).headers?.['X-RateLimit-Remaining'], `${method} ${path} X-RateLimit-Remaining`);
      t.truthy((operation as Json).description, `${method} ${path} description`);
      t.true(Array.isArray((operation as Json).security), `${method} ${path} says its security`);
    }
  }
  t.deepEqual(Object.keys(document.components as Json).sort(), ['headers', 'schemas', 'securitySchemes']);
  t.is((document.components as Json).securitySchemes.oauth2.flows.password.refreshUrl, '/api/auth/login');
  t.deepEqual(component(document, 'Comment').properties.article, {
    anyOf: [{ $ref: '#/components/schemas/Article' }, { type: 'null' }],
    description: 'with ?include=article: the related Article (null when there is none)',
  });
  const index = paths['/api/comments'].get as Json;
  const parameter = (name: string) => (index.parameters as Json[]).find((candidate) => candidate.name === name);
  t.like(parameter('include'), { in: 'query', schema: { type: 'string', pattern: '^(article)(,(article))*$' } });
  t.like(parameter('trashed'), { schema: { enum: ['with', 'only'] } });
  t.like(parameter('filter[stars][gte]'), { in: 'query', schema: { type: 'integer' } });
  t.like(parameter('filter[article_id][in]'), { in: 'query', schema: { type: 'string' } });
  t.truthy(parameter('filter[flag][ne]'));
  t.falsy(parameter('filter[flag][gt]'), 'booleans are not ordered');
  t.deepEqual(fieldSchema(parseFieldSpecs(['meta:json'])[0]!).items, {}, 'json arrays say what they hold (anything)');
});

test('what a handler says of itself reaches the document from another copy of the module (the package build, an ejected file)', async (t) => {
  // runtime/dist is the package as a project installs it: a second instance of document.js next to the sources.
  const built = (await import(
    new URL('../../runtime/dist/openapi/document.js', import.meta.url).href
  )) as typeof import('../../runtime/openapi/document.js');
  const router = new Router({ prefix: '/api/reports' });
  router.post(
    'reports.run',
    '/:id/run',
    built.describeRoute({ summary: 'Run a report now', responses: { 202: { description: 'Queued' } } }, async (ctx) => {
      ctx.status = 202;
    }),
  );
  const operation = (openApiDocument([router], { title: 'x', version: '1' }).paths as Json)['/api/reports/{id}/run']
    .post;
  t.is(operation.summary, 'Run a report now');
  t.truthy(operation.responses['202']);
});

test('a route with requireRole needs the token, also where requireAuth is the router’s own (router.use)', (t) => {
  const auth = {} as never; // requireAuth only keeps it until a request comes
  const router = new Router({ prefix: '/api/ops' });
  router.use(requireAuth(auth));
  router.get('ops.report', '/report', requireRole('admin'), (ctx) => {
    ctx.body = {};
  });
  const [row] = describeRoutes([router]);
  t.like(row, { name: 'ops.report', protected: true, roles: ['admin'] });
  const operation = (
    openApiDocument([router], { title: 'ops', version: '1.0.0' }).paths as Record<
      string,
      Record<string, { security: unknown[]; responses: Record<string, unknown> }>
    >
  )['/api/ops/report']!.get!;
  t.deepEqual(operation.security, [{ bearer: [] }, { oauth2: [] }]);
  t.truthy(operation.responses['401']);
  t.truthy(operation.responses['403']);
});
