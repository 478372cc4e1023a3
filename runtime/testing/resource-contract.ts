// The HTTP contract every generated resource must keep, as ava tests derived from its fields:
// CRUD in the envelopes, JSON types, validation at every rule's edge, unique and foreign keys,
// list parameters (sort, filters, search, trashed, pagination) and route protection.
import type { ExecutionContext, TestFn } from 'ava';
import type Koa from 'koa';
import type { Knex } from 'knex';
import supertest from 'supertest';
import type { FactoryBuilder } from '../factories/factory.js';
import { TYPES, type FieldDefinition } from '../fields/spec.js';
import { normaliseValue } from '../fields/validation.js';
import type { BaseRecord, Model } from '../models/base-model.js';
import type { UserRole } from '../models/user.js';

export interface ResourceContractOptions<T extends BaseRecord> {
  /** The route prefix, e.g. /api/blog-posts. */
  path: string;
  fields: readonly FieldDefinition[];
  model: Model<T>;
  factory: FactoryBuilder<T>;
  /** Whether every route needs a bearer token. */
  protected: boolean;
  db: () => Knex;
  app: () => Koa;
  /**
   * A valid access token of a new user, for protected resources; `{ role: 'admin' }` asks for an
   * admin's (an owned resource's tests need both: `(user) => accessToken(db, user)`).
   */
  token?: (user?: { role?: UserRole }) => Promise<string>;
  /** Relations `?include=` accepts (each a foreign-key field without its `_id`). */
  includes?: Readonly<Record<string, Model<BaseRecord>>>;
  /** hasMany relations `?include=` accepts: the records of another resource whose `column` points at a record. */
  children?: Readonly<
    Record<
      string,
      {
        model: Model<BaseRecord>;
        factory: FactoryBuilder;
        column: string;
        /** Its routes under a record (`GET|POST <path>/:id/<nested>`), and whether they need the token. */
        nested?: { path: string; guarded: boolean };
      }
    >
  >;
  /**
   * belongsToMany relations a body sets by ids (`tag_ids`), by that field: the related model, its
   * factory, and the include (and `filter[…]`) naming the relation.
   */
  links?: Readonly<Record<string, { model: Model<BaseRecord>; factory: FactoryBuilder; include: string }>>;
  /** UPLOAD_MAX_BYTES, for the upload routes of file and image fields. */
  uploadMaxBytes?: number;
}

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** The JSON type a field's value has in responses. */
function jsonType(field: FieldDefinition): 'string' | 'number' | 'boolean' | 'object' {
  const info = TYPES[field.type];
  if (field.type === 'json') return 'object';
  if (info.tsType === 'number') return 'number';
  if (info.tsType === 'boolean') return 'boolean';
  return 'string';
}

/** Values at and just past each bound of a field: [value, accepted?]. */
function edges(field: FieldDefinition): Array<[unknown, boolean, string]> {
  const { rules, type } = field;
  const info = TYPES[type];
  const cases: Array<[unknown, boolean, string]> = [];
  if (type === 'string' || type === 'text') {
    const max = rules.max ?? info.maxLength;
    const min = rules.min ?? 0;
    if (max !== undefined && max <= 70_000) {
      cases.push(['x'.repeat(Math.max(max, min)), true, `exactly ${max} characters`]);
      cases.push(['x'.repeat(max + 1), false, `${max + 1} characters (max ${max})`]);
      // Characters, not UTF-16 units: the column holds max emoji, and the API takes them.
      if (type === 'string' && max >= min) {
        cases.push(['😀'.repeat(max), true, `${max} emoji (one character each)`]);
        cases.push(['😀'.repeat(max + 1), false, `${max + 1} emoji (max ${max})`]);
      }
    }
    if (min > 0) cases.push(['x'.repeat(min - 1), false, `${min - 1} characters (min ${min})`]);
    return cases;
  }
  if (info.family !== 'integer' && info.family !== 'float' && info.family !== 'decimal') return cases;
  const step = info.family === 'float' ? 0.5 : info.decimal ? 0.01 : 1;
  const encode = (value: number) =>
    info.decimal ? value.toFixed(info.decimal.scale) : type === 'bigint' ? String(value) : value;
  const lower =
    rules.gt ?? rules.gte ?? rules.min ?? (info.decimal?.min !== undefined ? Number(info.decimal.min) : undefined);
  const upper =
    rules.lt ?? rules.lte ?? rules.max ?? (info.decimal?.max !== undefined ? Number(info.decimal.max) : undefined);
  if (lower !== undefined) {
    const strict = rules.gt !== undefined && rules.gt === lower;
    cases.push([encode(lower), !strict, `${lower} (${strict ? 'gt' : 'lower bound'} ${lower})`]);
    cases.push([encode(lower - step), false, `${lower - step} (below ${lower})`]);
  }
  if (upper !== undefined) {
    const strict = rules.lt !== undefined && rules.lt === upper;
    cases.push([encode(upper), !strict, `${upper} (${strict ? 'lt' : 'upper bound'} ${upper})`]);
    cases.push([encode(upper + step), false, `${upper + step} (above ${upper})`]);
  }
  return cases;
}

/** A value of the field for a query string. */
function queryText(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Registers the contract tests of one resource.
 *
 * @example
 * resourceContract(test, { path: '/api/posts', fields: postFields, model: Post, factory: postFactory, protected: false, db: () => db, app: () => buildApp({ db }) });
 */
export function resourceContract<T extends BaseRecord>(test: TestFn, options: ResourceContractOptions<T>): void {
  const { path, fields, model } = options;
  if (options.protected && !options.token) throw new Error('resourceContract(): a protected resource needs token()');
  if (model.owner && !options.protected)
    throw new Error(`resourceContract(): ${model.name} is owned, so its routes need the token: pass protected: true`);
  // Asked for on the first request (hooks run concurrently in ava: the database may not be ready before).
  let token: Promise<string> | undefined;
  const authorization = async (always = false): Promise<Record<string, string>> => {
    if (!options.protected && !always) return {};
    if (!options.token) throw new Error('resourceContract(): an include of a protected resource needs token()');
    token ??= options.token();
    return { Authorization: `Bearer ${await token}` };
  };

  /** The id of the user whose token the requests carry (asked once). */
  let me: Promise<number> | undefined;
  const myId = () =>
    (me ??= (async () => {
      const response = await supertest(options.app().callback())
        .get('/api/auth/me')
        .set(await authorization(true));
      if (response.status !== 200) throw new Error(`GET /api/auth/me failed (${response.status})`);
      return (response.body as { data: { id: number } }).data.id;
    })());
  /** Attributes making a record of an owned model the requests' user's (nothing for another model). */
  const mine = async (related: Model<BaseRecord>): Promise<Record<string, unknown>> =>
    related.owner === undefined ? {} : { [related.owner]: await myId() };
  /** The Authorization header of another user's token (an admin's with `{ role: 'admin' }`). */
  const otherUser = async (user?: { role?: UserRole }) => {
    if (!options.token) throw new Error('resourceContract(): an owned resource needs token()');
    return { Authorization: `Bearer ${await options.token(user)}` };
  };

  /**
   * Requests as a client of the resource makes them: with the token when its routes need one, or
   * `withToken` (a signed-in client of open routes: what it links and includes of a protected or
   * owned resource is what that user may reach).
   */
  const request = (withToken = false) => {
    const agent = supertest(options.app().callback());
    return {
      upload: async (url: string, file?: { contents: Buffer; filename: string; type: string }) => {
        const req = agent.post(url).set(await authorization(withToken));
        return file
          ? req.attach('file', file.contents, { filename: file.filename, contentType: file.type })
          : req.field('note', 'no file here');
      },
      get: async (url: string) => agent.get(url).set(await authorization(withToken)),
      post: async (url: string, body?: object) =>
        agent
          .post(url)
          .set(await authorization(withToken))
          .send(body ?? {}),
      put: async (url: string, body: object) =>
        agent
          .put(url)
          .set(await authorization(withToken))
          .send(body),
      patch: async (url: string, body: object) =>
        agent
          .patch(url)
          .set(await authorization(withToken))
          .send(body),
      delete: async (url: string) => agent.delete(url).set(await authorization(withToken)),
    };
  };
  const factory = () => options.factory(options.db());
  const body = (overrides: Record<string, unknown> = {}) => factory().build(overrides);
  const created = async (overrides: Record<string, unknown> = {}, withToken = false) => {
    const response = await request(withToken).post(path, await body(overrides));
    if (response.status !== 201)
      throw new Error(`POST ${path} failed (${response.status}): ${JSON.stringify(response.body)}`);
    return response.body.data as Record<string, unknown> & { id: number };
  };
  const expectError = (
    t: ExecutionContext,
    response: supertest.Response,
    status: number,
    code: string,
    field?: string,
  ) => {
    t.is(response.status, status, JSON.stringify(response.body));
    t.is(response.body.success, false);
    t.is(response.body.error_code, code);
    if (field)
      t.truthy(response.body.errors?.[field], `errors names ${field}: ${JSON.stringify(response.body.errors)}`);
  };

  test.serial(`POST ${path} creates a record (201) and echoes every field with its JSON type`, async (t) => {
    const sent = await body();
    const response = await request().post(path, sent);
    t.is(response.status, 201, JSON.stringify(response.body));
    const data = response.body.data as Record<string, unknown>;
    t.like(response.body, { success: true, message: `${model.name} created` });
    t.true(Number.isInteger(data.id));
    for (const key of ['created_at', 'updated_at'])
      t.regex(String(data[key]), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    t.is(data.deleted_at, null);
    for (const field of fields) {
      if (!(field.name in sent)) continue;
      const expected = normaliseValue(field, sent[field.name]);
      t.deepEqual(data[field.name], expected instanceof Date ? expected.toISOString() : expected, field.name);
      t.is(typeof data[field.name], jsonType(field), `${field.name} is a JSON ${jsonType(field)}`);
    }
  });

  test.serial(`GET ${path}/:id returns the record; missing, malformed and deleted ids are 404`, async (t) => {
    const record = await created();
    const response = await request().get(`${path}/${record.id}`);
    t.is(response.status, 200);
    t.deepEqual(response.body.data, record);
    expectError(t, await request().get(`${path}/999999999`), 404, 'NOT_FOUND');
    expectError(t, await request().get(`${path}/abc`), 404, 'NOT_FOUND');
    await request().delete(`${path}/${record.id}`);
    expectError(t, await request().get(`${path}/${record.id}`), 404, 'NOT_FOUND');
  });

  test.serial(`PUT replaces and PATCH updates ${path}/:id`, async (t) => {
    const record = await created();
    const replacement = await body();
    const put = await request().put(`${path}/${record.id}`, replacement);
    t.is(put.status, 200, JSON.stringify(put.body));
    const [first] = fields.filter((field) => field.name in replacement && !field.rules.unique && !field.rules.foreign);
    if (first) {
      const value = (await body())[first.name];
      const patch = await request().patch(`${path}/${record.id}`, { [first.name]: value });
      t.is(patch.status, 200, JSON.stringify(patch.body));
      const expected = normaliseValue(first, value);
      t.deepEqual(patch.body.data[first.name], expected instanceof Date ? expected.toISOString() : expected);
    }
    expectError(t, await request().patch(`${path}/999999999`, {}), 404, 'NOT_FOUND');
    expectError(
      t,
      await request().put(`${path}/${record.id}`, { ...replacement, id: 5 }),
      422,
      'VALIDATION_ERROR',
      'id',
    );
  });

  test.serial(`DELETE soft-deletes, restore brings back, force delete removes for good`, async (t) => {
    const record = await created();
    const deleted = await request().delete(`${path}/${record.id}`);
    t.is(deleted.status, 200);
    t.regex(String(deleted.body.data.deleted_at), /Z$/);
    const list = await request().get(`${path}?per_page=100&sort=-id`);
    t.false(
      (list.body.data as Array<{ id: unknown }>).some((item) => item.id === record.id),
      'soft-deleted rows never appear by default',
    );
    const only = await request().get(`${path}?trashed=only&per_page=100&sort=-id`);
    t.true((only.body.data as Array<{ id: unknown }>).some((item) => item.id === record.id));
    const restored = await request().post(`${path}/${record.id}/restore`);
    t.is(restored.status, 200);
    t.is(restored.body.data.deleted_at, null);
    expectError(t, await request().post(`${path}/${record.id}/restore`), 404, 'NOT_FOUND');
    t.is((await request().delete(`${path}/${record.id}/force`)).status, 200);
    const all = await request().get(`${path}?trashed=with&per_page=100&sort=-id`);
    t.false((all.body.data as Array<{ id: unknown }>).some((item) => item.id === record.id));
    expectError(t, await request().delete(`${path}/${record.id}/force`), 404, 'NOT_FOUND');
  });

  test.serial(`unknown and server-set fields are a 422 naming them`, async (t) => {
    const valid = await body();
    expectError(t, await request().post(path, { ...valid, not_a_field: 1 }), 422, 'VALIDATION_ERROR', 'not_a_field');
    for (const guarded of ['id', 'created_at', 'updated_at', 'deleted_at']) {
      expectError(
        t,
        await request().post(path, { ...valid, [guarded]: guarded === 'id' ? 1 : '2026-01-01T00:00:00Z' }),
        422,
        'VALIDATION_ERROR',
        guarded,
      );
    }
  });

  for (const field of fields) {
    test.serial(`${field.name} (${field.type}): invalid values are a 422 naming it`, async (t) => {
      for (const value of TYPES[field.type].invalid.body) {
        if (value === null) continue;
        const response = await request().post(path, await body({ [field.name]: value }));
        expectError(t, response, 422, 'VALIDATION_ERROR', field.name);
      }
    });

    const edgeCases = edges(field);
    if (edgeCases.length > 0) {
      test.serial(`${field.name} (${field.type}): values at and past its bounds`, async (t) => {
        for (const [value, accepted, why] of edgeCases) {
          // A unique field holds each edge value once: the row an earlier run left with it goes first
          // (MySQL's utf8mb4 collations even count every string of as many emoji as equal).
          if (accepted && field.rules.unique)
            await options
              .db()(model.table)
              .where(field.name, value as Knex.Value)
              .delete();
          const response = await request().post(path, await body({ [field.name]: value }));
          if (accepted) t.is(response.status, 201, `${why}: ${JSON.stringify(response.body)}`);
          else expectError(t, response, 422, 'VALIDATION_ERROR', field.name);
        }
      });
    }

    test.serial(
      `${field.name}: ${field.rules.required ? 'required' : 'optional'}, ${field.rules.nullable ? 'nullable' : 'not nullable'}${field.rules.default !== undefined ? ', with a default' : ''}`,
      async (t) => {
        const valid = await body();
        const { [field.name]: _omitted, ...without } = valid;
        const omitted = await request().post(path, without);
        if (field.rules.required) expectError(t, omitted, 422, 'VALIDATION_ERROR', field.name);
        else {
          t.is(omitted.status, 201, JSON.stringify(omitted.body));
          const fallback =
            field.rules.default === undefined
              ? null
              : field.rules.default === 'now'
                ? omitted.body.data[field.name]
                : normaliseValue(field, field.rules.default);
          t.deepEqual(omitted.body.data[field.name], fallback);
        }
        const nulled = await request().post(path, await body({ [field.name]: null }));
        if (field.rules.nullable) t.is(nulled.status, 201, JSON.stringify(nulled.body));
        else expectError(t, nulled, 422, 'VALIDATION_ERROR', field.name);
        if (field.rules.required && TYPES[field.type].family === 'text') {
          for (const blank of ['', '   '])
            expectError(
              t,
              await request().post(path, await body({ [field.name]: blank })),
              422,
              'VALIDATION_ERROR',
              field.name,
            );
        }
      },
    );

    if (field.rules.unique) {
      test.serial(`${field.name}: unique, a clash is a 409 naming it`, async (t) => {
        const record = await created();
        const clash = await request().post(path, await body({ [field.name]: record[field.name] }));
        expectError(t, clash, 409, 'CONFLICT', field.name);
      });
    }

    if (field.rules.foreign) {
      test.serial(
        `${field.name}: a reference to a missing ${field.rules.foreign.table} row is a 422 naming it`,
        async (t) => {
          const missing =
            field.type === 'uuid'
              ? '00000000-0000-4000-8000-000000000000'
              : field.type === 'string'
                ? 'no-such-row'
                : 2_000_000_000;
          expectError(
            t,
            await request().post(path, await body({ [field.name]: missing })),
            422,
            'VALIDATION_ERROR',
            field.name,
          );
        },
      );
    }

    if (TYPES[field.type].sortable) {
      test.serial(`${field.name}: filter[${field.name}] and sort=${field.name}`, async (t) => {
        const record = await created();
        const value = record[field.name];
        if (value !== null && field.type !== 'float') {
          // Newest first: on a table with many rows of that value, the record is still on the first page.
          const response = await request().get(
            `${path}?filter[${field.name}]=${encodeURIComponent(queryText(value))}&per_page=100&sort=-id`,
          );
          t.is(response.status, 200, JSON.stringify(response.body));
          const items = response.body.data as Array<Record<string, unknown>>;
          t.true(
            items.some((item) => item.id === record.id),
            'the record matches its own value',
          );
          t.true(
            items.every((item) => JSON.stringify(item[field.name]) === JSON.stringify(value)),
            'only matching records',
          );
          const excluded = await request().get(
            `${path}?filter[${field.name}][ne]=${encodeURIComponent(queryText(value))}&per_page=100&sort=-id`,
          );
          t.false((excluded.body.data as Array<Record<string, unknown>>).some((item) => item.id === record.id));
        }
        for (const sort of [field.name, `-${field.name}`])
          t.is((await request().get(`${path}?sort=${sort}`)).status, 200, sort);
        const invalid = TYPES[field.type].invalid.filter;
        if (invalid !== undefined)
          expectError(
            t,
            await request().get(`${path}?filter[${field.name}]=${encodeURIComponent(invalid)}`),
            422,
            'VALIDATION_ERROR',
            `filter[${field.name}]`,
          );
      });
    }
  }

  const searchable = fields.filter((field) => field.type === 'string' || field.type === 'text');
  const [searchField] = searchable;
  if (searchField) {
    test.serial(`search finds records case-insensitively by ${searchField.name}`, async (t) => {
      const marker = `Zq${Math.random().toString(36).slice(2, 8)}`;
      const max = searchField.rules.max ?? TYPES[searchField.type].maxLength ?? 255;
      if (marker.length > max || (searchField.rules.min ?? 0) > marker.length) {
        t.pass();
        return;
      }
      const record = await created({ [searchField.name]: marker });
      const response = await request().get(`${path}?search=${marker.toUpperCase()}`);
      t.is(response.status, 200);
      t.deepEqual(
        (response.body.data as Array<{ id: unknown }>).map((item) => item.id),
        [record.id],
      );
      const literal = await request().get(`${path}?search=${encodeURIComponent('%_')}`);
      t.is(literal.status, 200, 'LIKE wildcards in search are literal');
    });
  }

  for (const [name, relatedModel] of Object.entries(options.includes ?? {})) {
    test.serial(`?include=${name} adds the related record, never its hidden columns`, async (t) => {
      const record = await created();
      const field = fields.find(
        (candidate) => candidate.name === `${name}_id` || candidate.name === `${name}`.replace(/_record$/, ''),
      )!;
      // Records of a resource behind a token are included only with the token, as its own routes return them.
      if (relatedModel.access === 'bearer' && !options.protected) {
        const anonymous = await supertest(options.app().callback()).get(`${path}/${record.id}?include=${name}`);
        expectError(t, anonymous, 401, 'UNAUTHORIZED');
        t.regex(anonymous.body.message, new RegExp(`Including ${name} needs a bearer token`));
        expectError(t, await supertest(options.app().callback()).get(`${path}?include=${name}`), 401, 'UNAUTHORIZED');
        t.is(
          (await supertest(options.app().callback()).get(`${path}/${record.id}`)).status,
          200,
          'without the include, no token needed',
        );
      }
      const show = await request(relatedModel.access === 'bearer').get(`${path}/${record.id}?include=${name}`);
      t.is(show.status, 200, JSON.stringify(show.body));
      const related = show.body.data[name];
      if (record[field.name] === null) t.is(related, null);
      else if (relatedModel.owner) {
        // The factory made it another user's: hidden from this one, as its own routes hide it; an admin sees it.
        t.is(related, null, `another user's ${relatedModel.name} is not included`);
        const admin = await supertest(options.app().callback())
          .get(`${path}/${record.id}?include=${name}`)
          .set(await otherUser({ role: 'admin' }));
        t.is(admin.body.data[name]?.[field.rules.foreign!.column], record[field.name]);
      } else t.is(related?.[field.rules.foreign!.column], record[field.name]);
      t.notRegex(JSON.stringify(show.body), /password_hash/);
      const list = await request(relatedModel.access === 'bearer').get(`${path}?include=${name}&per_page=5&sort=-id`);
      t.is(list.status, 200);
      t.true((list.body.data as Array<Record<string, unknown>>).every((item) => name in item));
      t.false(
        name in ((await request().get(`${path}/${record.id}`)).body.data as Record<string, unknown>),
        'only when asked for',
      );
    });
  }

  for (const [name, child] of Object.entries(options.children ?? {})) {
    test.serial(
      `?include=${name} lists the ${child.model.table} pointing at a record, oldest first, never the soft-deleted`,
      async (t) => {
        const record = await created();
        const children = child.factory(options.db());
        // Of an owned resource, the requests' user's own (another's would not be included).
        const own = await mine(child.model);
        const first = await children.create({ [child.column]: record.id, ...own });
        const second = await children.create({ [child.column]: record.id, ...own });
        const gone = await children.create({ [child.column]: record.id, ...own });
        if (child.model.owner) await children.create({ [child.column]: record.id });
        await options.db()(child.model.table).where('id', gone.id).update({ deleted_at: new Date() });
        // A resource behind a token is included only with the token, as its own routes return it.
        const withToken = child.model.access === 'bearer';
        const show = await request(withToken).get(`${path}/${record.id}?include=${name}`);
        t.is(show.status, 200, JSON.stringify(show.body));
        t.deepEqual(
          (show.body.data[name] as Array<{ id: number }>).map((item) => item.id),
          [first.id, second.id],
        );
        t.notRegex(JSON.stringify(show.body), /password_hash/);
        const list = await request(withToken).get(`${path}?include=${name}&per_page=5&sort=-id`);
        t.is(list.status, 200);
        t.true((list.body.data as Array<Record<string, unknown>>).every((item) => Array.isArray(item[name])));
        t.false(
          name in ((await request().get(`${path}/${record.id}`)).body.data as Record<string, unknown>),
          'only when asked for',
        );
      },
    );
  }

  for (const [name, child] of Object.entries(options.children ?? {})) {
    if (!child.nested) continue;
    const nested = child.nested;
    test.serial(
      `GET and POST ${path}/:id/${nested.path} list and create the ${name} of one record; a missing record is a 404`,
      async (t) => {
        const agent = () => supertest(options.app().callback());
        const headers = () => authorization(nested.guarded);
        const record = await created();
        const other = await created();
        const children = child.factory(options.db());
        const own = await mine(child.model);
        const first = await children.create({ [child.column]: record.id, ...own });
        await children.create({ [child.column]: other.id, ...own });
        const second = await children.create({ [child.column]: record.id, ...own });
        // Another user's, under the same record: never listed for this one.
        if (child.model.owner) await children.create({ [child.column]: record.id });
        const url = `${path}/${record.id}/${nested.path}`;
        if (nested.guarded) expectError(t, await agent().get(url), 401, 'UNAUTHORIZED');
        const list = await agent()
          .get(`${url}?sort=-id`)
          .set(await headers());
        t.is(list.status, 200, JSON.stringify(list.body));
        t.deepEqual(
          (list.body.data as Array<{ id: number }>).map((item) => item.id),
          [second.id, first.id],
          "that record's only, in the order asked for",
        );
        t.like(list.body.pagination, { total: 2, page: 1 });
        expectError(
          t,
          await agent()
            .get(`${url}?per_page=0`)
            .set(await headers()),
          422,
          'VALIDATION_ERROR',
          'per_page',
        );
        const missing = `${path}/999999999/${nested.path}`;
        expectError(
          t,
          await agent()
            .get(missing)
            .set(await headers()),
          404,
          'NOT_FOUND',
        );

        const sent = await children.build({ [child.column]: record.id });
        delete sent[child.column];
        const made = await agent()
          .post(url)
          .set(await headers())
          .send(sent);
        t.is(made.status, 201, JSON.stringify(made.body));
        t.is(made.body.data[child.column], record.id, 'the parent is taken from the path');
        expectError(
          t,
          await agent()
            .post(missing)
            .set(await headers())
            .send(sent),
          404,
          'NOT_FOUND',
        );
        const elsewhere = await agent()
          .post(url)
          .set(await headers())
          .send({ ...sent, [child.column]: other.id });
        expectError(t, elsewhere, 422, 'VALIDATION_ERROR', child.column);
      },
    );
  }

  for (const field of fields.filter((candidate) => candidate.type === 'file' || candidate.type === 'image')) {
    test.serial(`POST ${path}/:id/${field.name} stores an upload and records its path`, async (t) => {
      const record = await created();
      const url = `${path}/${record.id}/${field.name}`;
      const stored = await request().upload(url, { contents: PNG, filename: 'pixel.png', type: 'image/png' });
      t.is(stored.status, 200, JSON.stringify(stored.body));
      t.regex(
        String(stored.body.data[field.name]),
        new RegExp(`^uploads/${model.table}/${record.id}/${field.name}-[0-9a-f]{16}\\.png$`),
      );
      const text = await request().upload(url, {
        contents: Buffer.from('plain text, not an image'),
        filename: 'notes.txt',
        type: 'text/plain',
      });
      if (field.type === 'image') expectError(t, text, 422, 'VALIDATION_ERROR', 'file');
      else t.is(text.status, 200, JSON.stringify(text.body));
      expectError(t, await request().upload(url), 422, 'VALIDATION_ERROR', 'file');
      expectError(t, await request().post(url, { [field.name]: 'x' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(
        t,
        await request().upload(`${path}/999999999/${field.name}`, {
          contents: PNG,
          filename: 'pixel.png',
          type: 'image/png',
        }),
        404,
        'NOT_FOUND',
      );
      if (options.uploadMaxBytes !== undefined) {
        const large = Buffer.concat([PNG, Buffer.alloc(options.uploadMaxBytes + 1)]);
        expectError(
          t,
          await request().upload(url, { contents: large, filename: 'large.png', type: 'image/png' }),
          413,
          'PAYLOAD_TOO_LARGE',
        );
      }
    });
  }

  test.serial(`?include= of something that is not a relation is a 422 naming it`, async (t) => {
    expectError(t, await request().get(`${path}?include=no_such_relation`), 422, 'VALIDATION_ERROR', 'include');
  });

  test.serial(`GET ${path} paginates and sorts, in the paginated envelope`, async (t) => {
    await created();
    await created();
    await created();
    const page = await request().get(`${path}?per_page=2&page=1&sort=-id`);
    t.is(page.status, 200);
    t.like(page.body, { success: true, message: null, pagination: { page: 1, per_page: 2, has_prev: false } });
    t.is(page.body.data.length, 2);
    t.true(page.body.pagination.total >= 3);
    const ids = (page.body.data as Array<{ id: number }>).map((item) => item.id);
    t.true(ids[0]! > ids[1]!, 'sort=-id is descending');
    const next = await request().get(`${path}?per_page=2&page=2&sort=-id`);
    t.false(
      (next.body.data as Array<{ id: number }>).some((item) => ids.includes(item.id)),
      'pages do not overlap',
    );
  });

  test.serial(`bad list parameters are a 422 naming them`, async (t) => {
    for (const [query, parameter] of [
      ['page=0', 'page'],
      ['per_page=101', 'per_page'],
      ['sort=no_such_field', 'sort'],
      ['filter[no_such_field]=1', 'filter[no_such_field]'],
      ['trashed=all', 'trashed'],
      ['colour=red', 'colour'],
    ] as const) {
      expectError(t, await request().get(`${path}?${query}`), 422, 'VALIDATION_ERROR', parameter);
    }
  });

  for (const [link, linked] of Object.entries(options.links ?? {})) {
    const name = linked.include;
    test.serial(
      `${link} links ${linked.model.table} (exactly those; a missing one is a 422); ?include=${name} and filter[${name}] show them`,
      async (t) => {
        const others = linked.factory(options.db());
        const own = await mine(linked.model);
        const [first, second, third] = [await others.create(own), await others.create(own), await others.create(own)];
        const withToken = linked.model.access === 'bearer';
        const ids = async (id: number) => {
          const show = await request(withToken).get(`${path}/${id}?include=${name}`);
          t.is(show.status, 200, JSON.stringify(show.body));
          return (show.body.data[name] as Array<{ id: number }>).map((item) => item.id);
        };
        // A protected or owned resource's records are linked by a user who may reach them: with the token.
        const record = await created({ [link]: [second.id, first.id] }, withToken);
        t.false(link in record, `a record holds no ${link}`);
        t.deepEqual(await ids(record.id), [first.id, second.id], 'oldest first');
        const missing = await request(withToken).post(path, await body({ [link]: [first.id, 999999999] }));
        expectError(t, missing, 422, 'VALIDATION_ERROR', link);
        t.regex(String(missing.body.errors[link][0]), /999999999/);
        expectError(t, await request(withToken).post(path, await body({ [link]: 'x' })), 422, 'VALIDATION_ERROR', link);
        t.is((await request(withToken).patch(`${path}/${record.id}`, {})).status, 200);
        t.deepEqual(await ids(record.id), [first.id, second.id], `a PATCH without ${link} keeps the links`);
        const changed = await request(withToken).patch(`${path}/${record.id}`, { [link]: [third.id] });
        t.is(changed.status, 200, JSON.stringify(changed.body));
        t.deepEqual(await ids(record.id), [third.id], 'exactly those');
        const filtered = await request(withToken).get(`${path}?filter[${name}]=${third.id}&per_page=100`);
        t.is(filtered.status, 200, JSON.stringify(filtered.body));
        t.deepEqual(
          (filtered.body.data as Array<{ id: number }>).map((item) => item.id),
          [record.id],
        );
        expectError(t, await request().get(`${path}?filter[${name}]=abc`), 422, 'VALIDATION_ERROR', `filter[${name}]`);
      },
    );
  }

  const owner = model.owner;
  if (owner) {
    test.serial(`${path} records are their creator's: another user's is a 404, an admin sees all`, async (t) => {
      expectError(t, await request().post(path, { ...(await body()), [owner]: 1 }), 422, 'VALIDATION_ERROR', owner);
      const record = await created();
      t.is(record[owner], await myId(), `${owner} is the signed-in user's id`);
      expectError(t, await request().patch(`${path}/${record.id}`, { [owner]: 1 }), 422, 'VALIDATION_ERROR', owner);
      const agent = () => supertest(options.app().callback());
      const other = await otherUser();
      for (const [method, url] of [
        ['get', `${path}/${record.id}`],
        ['put', `${path}/${record.id}`],
        ['patch', `${path}/${record.id}`],
        ['delete', `${path}/${record.id}`],
        ['post', `${path}/${record.id}/restore`],
        ['delete', `${path}/${record.id}/force`],
      ] as const) {
        const client = agent();
        const response = await client[method](url)
          .set(other)
          .send(method === 'put' ? await body() : {});
        expectError(t, response, 404, 'NOT_FOUND');
        t.is(
          response.body.message,
          `${model.name} not found`,
          `${method.toUpperCase()} ${url}: as if it did not exist`,
        );
      }
      const theirs = await agent().get(`${path}?per_page=100`).set(other);
      t.is(theirs.status, 200);
      t.like(theirs.body.pagination, { total: 0 }, "another user's list and count hold none of this user's");
      const mineOnly = await request().get(`${path}?per_page=100`);
      t.true((mineOnly.body.data as Array<Record<string, unknown>>).every((item) => item[owner] === record[owner]));
      const admin = await otherUser({ role: 'admin' });
      const seen = await agent().get(`${path}/${record.id}`).set(admin);
      t.is(seen.status, 200, 'an admin sees every record');
      const byOwner = await agent()
        .get(`${path}?filter[${owner}]=${String(record[owner])}&per_page=100`)
        .set(admin);
      t.is(byOwner.status, 200);
      t.true(
        (byOwner.body.data as Array<Record<string, unknown>>).some((item) => item.id === record.id) &&
          (byOwner.body.data as Array<Record<string, unknown>>).every((item) => item[owner] === record[owner]),
        `an admin lists one user's records with filter[${owner}]`,
      );
      const changed = await agent().patch(`${path}/${record.id}`).set(admin).send({});
      t.is(changed.status, 200, 'and changes it');
      t.is(changed.body.data[owner], record[owner], "which stays its owner's");
      t.like(await options.db()(model.table).where('id', record.id).first(), { deleted_at: null });
    });
  }

  if (options.protected) {
    test.serial(`every route of ${path} needs a bearer token (401)`, async (t) => {
      const anonymous = supertest(options.app().callback());
      for (const [method, url] of [
        ['get', path],
        ['post', path],
        ['get', `${path}/1`],
        ['put', `${path}/1`],
        ['patch', `${path}/1`],
        ['delete', `${path}/1`],
        ['post', `${path}/1/restore`],
        ['delete', `${path}/1/force`],
      ] as const) {
        const response = await anonymous[method](url).send({});
        t.is(response.status, 401, `${method.toUpperCase()} ${url}`);
        t.is(response.headers['www-authenticate'], 'Bearer');
      }
    });
  }
}
