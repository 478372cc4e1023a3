// A resource's records are only returned where its own routes would return them: an include of a
// protected resource (Model.access 'bearer'), or of users, from a public one needs the token — a 401
// for the whole request without it — and the OpenAPI document says so.
import Router from '@koa/router';
import test from 'ava';
import { requireAuth } from '../../runtime/auth/require-auth.js';
import type { RouteFactory } from '../../runtime/app.js';
import { ResourceController } from '../../runtime/controllers/resource-controller.js';
import { modelTimestamps } from '../../runtime/database/schema.js';
import { parseFieldSpecs } from '../../runtime/fields/spec.js';
import { Model, type BaseRecord } from '../../runtime/models/base-model.js';
import { User } from '../../runtime/models/user.js';
import { openApiDocument } from '../../runtime/openapi/document.js';
import { BaseRepository } from '../../runtime/repositories/base-repository.js';
import { authRoutes } from '../../runtime/routes/auth.js';
import { BaseService } from '../../runtime/services/base-service.js';
import { appRouters, appServices } from '../../runtime/app.js';
import { createLogger } from '../../runtime/utils/logger.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { articleRoutes, startResourceApp, type ResourceApp } from '../helpers/resource-app.js';

const productFields = parseFieldSpecs(['name:string:required']);
const reviewFields = parseFieldSpecs([
  'body:text:required',
  'product_id:integer:required,foreign:products.id',
  'user_id:integer:nullable,foreign:users.id',
]);
const Product = new Model<BaseRecord>({
  name: 'Product',
  table: 'products',
  fields: productFields,
  access: 'bearer',
});
const Review = new Model<BaseRecord>({ name: 'Review', table: 'reviews', fields: reviewFields });

const productRoutes: RouteFactory = ({ db, auth }) => {
  const controller = new ResourceController({
    db,
    model: Product,
    fields: productFields,
    service: new BaseService(new BaseRepository(db, Product)),
  });
  return new Router({ prefix: '/api/products' }).get('products.show', '/:id', requireAuth(auth), controller.show);
};

/** Public routes whose records refer to a protected product and to a user. */
const reviewRoutes: RouteFactory = ({ db, auth }) => {
  const relations = {
    product: { field: 'product_id', column: 'id', model: Product },
    user: { field: 'user_id', column: 'id', model: User as unknown as Model<BaseRecord> },
  };
  const controller = new ResourceController({
    db,
    auth,
    model: Review,
    fields: reviewFields,
    service: new BaseService(new BaseRepository(db, Review)),
    relations,
  });
  return new Router({ prefix: '/api/reviews' })
    .get('reviews.index', '/', controller.index)
    .get('reviews.show', '/:id', controller.show)
    .post('reviews.store', '/', controller.store);
};

let app: ResourceApp;
let token: string;

test.before(async () => {
  app = await startResourceApp({
    driver: 'sqlite',
    database: 'unused',
    app: { routes: [authRoutes, articleRoutes, productRoutes, reviewRoutes] },
  });
  for (const [table, fields] of [
    ['products', ['name']],
    ['reviews', ['body', 'product_id', 'user_id']],
  ] as const) {
    await app.db.schema.createTable(table, (builder) => {
      builder.increments('id');
      for (const field of fields) builder.specificType(field, field.endsWith('_id') ? 'integer' : 'text');
      modelTimestamps(app.db, builder);
    });
  }
  token = await app.token();
  await app.db('products').insert({ name: 'Secret gadget' });
  await app.db('reviews').insert({ body: 'Works', product_id: 1, user_id: 1 });
});

test.after.always(async () => {
  await app?.close();
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(app.base + path, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
};

test.serial('a controller that can include a protected resource but was given no auth says so when it is made', (t) => {
  const relations = { product: { field: 'product_id', column: 'id', model: Product } };
  t.throws(
    () =>
      new ResourceController({
        db: app.db,
        model: Review,
        fields: reviewFields,
        service: new BaseService(new BaseRepository(app.db, Review)),
        relations,
      }),
    {
      message:
        "ReviewController: including product needs a bearer token, so the controller needs auth (pass { auth } from the app's services)",
    },
  );
});

test.serial('the protected resource itself needs the token', async (t) => {
  t.is((await get('/api/products/1')).status, 401);
  t.is((await get('/api/products/1', { authorization: `Bearer ${token}` })).status, 200);
});

test.serial('a public resource is public; including a protected one needs the token, for show and list', async (t) => {
  t.is((await get('/api/reviews/1')).status, 200);
  for (const path of [
    '/api/reviews/1?include=product',
    '/api/reviews?include=product',
    '/api/reviews/1?include=user',
    '/api/reviews?include=product,user',
  ]) {
    const anonymous = await get(path);
    t.is(anonymous.status, 401, path);
    t.like(anonymous.body, { success: false, error_code: 'UNAUTHORIZED' });
    t.regex(anonymous.body.message, /^Including (product|user|product, user) needs a bearer token$/);
    t.is(anonymous.headers.get('www-authenticate'), 'Bearer');
    t.notRegex(JSON.stringify(anonymous.body), /Secret gadget/);
    t.is((await get(path, { authorization: 'Bearer not-a-token' })).status, 401, `${path} with a bad token`);
  }
  const signedIn = await get('/api/reviews/1?include=product,user', { authorization: `Bearer ${token}` });
  t.is(signedIn.status, 200, JSON.stringify(signedIn.body));
  t.like(signedIn.body.data, { product: { name: 'Secret gadget' }, user: { id: 1 } });
  t.false('password_hash' in signedIn.body.data.user);
});

test.serial(
  'the OpenAPI document says which includes need the token, with the 401 and an optional bearer',
  async (t) => {
    const routers = appRouters(
      appServices({ settings: app.settings, db: app.db, logger: createLogger({ level: 'silent' }) }),
      [reviewRoutes],
    );
    const document = openApiDocument(routers, { title: 't', version: '1' }) as {
      paths: Record<string, Record<string, any>>;
    };
    const result = await new Validator().validate(document);
    t.true(result.valid, JSON.stringify(result.errors, null, 2));
    for (const operation of [document.paths['/api/reviews']!.get, document.paths['/api/reviews/{id}']!.get]) {
      t.deepEqual(operation.security, [{}, { bearer: [] }, { oauth2: [] }]);
      t.truthy(operation.responses['401']);
      t.regex(
        operation.parameters.find((parameter: { name: string }) => parameter.name === 'include').description,
        /product, user need a bearer token \(401 without\)/,
      );
    }
  },
);

test.serial(
  'a soft-deleted record counts as missing for a foreign key: a 422 naming the field, as its own show is a 404',
  async (t) => {
    const [id] = await app.db('products').insert({ name: 'Gone soon' }).returning('id');
    const productId = typeof id === 'object' ? (id as { id: number }).id : (id as number);
    const post = (body: object) =>
      fetch(`${app.base}/api/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, any> }));
    t.is((await post({ body: 'Live product', product_id: productId })).status, 201);
    await app.db('products').where('id', productId).update({ deleted_at: new Date().toISOString() });
    t.is((await get(`/api/products/${productId}`, { authorization: `Bearer ${token}` })).status, 404);
    const refused = await post({ body: 'Deleted product', product_id: productId });
    t.is(refused.status, 422);
    t.deepEqual(refused.body.errors, {
      product_id: [`refers to a products record that does not exist (id = ${productId})`],
    });
    t.is((await post({ body: 'No product', product_id: 999_999 })).status, 422);
  },
);

test.serial('several includes are loaded together and set in the order the request names them', async (t) => {
  const headers = { authorization: `Bearer ${token}` };
  for (const [query, order] of [
    ['user,product', ['user', 'product']],
    ['product,user', ['product', 'user']],
  ] as const) {
    const show = await get(`/api/reviews/1?include=${query}`, headers);
    t.is(show.status, 200);
    t.deepEqual(Object.keys(show.body.data).slice(-2), order);
    t.is(show.body.data.product.name, 'Secret gadget');
    t.is(show.body.data.user.id, 1);
    const list = await get(`/api/reviews?include=${query}`, headers);
    t.deepEqual(Object.keys(list.body.data[0]).slice(-2), order);
  }
});
