// Hostile input, generated (fast-check): thousands of bodies, query strings (sort, filter[...], page,
// search with SQL metacharacters), ids and headers sent to a resource with every field type and to
// auth, on each real database. Every answer must be a 2xx/4xx envelope: never a 5xx, a stack trace
// or a database's error text.
import test from 'ava';
import fc from 'fast-check';
import { FIELD_TYPES } from '../../runtime/fields/spec.js';
import { testDrivers } from '../helpers/databases.js';
import { ARTICLE_FIELDS, startResourceApp, type ResourceApp } from '../helpers/resource-app.js';

const RUNS = Number(process.env.FASTPY_FUZZ_RUNS ?? 300);
/** A fixed seed by default (a CI run is reproducible); FASTPY_FUZZ_SEED=random explores, and a failure prints its seed. */
const SEED =
  process.env.FASTPY_FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FASTPY_FUZZ_SEED ?? 20_261_128);

/** What must never reach a client: stack frames, driver and SQL error texts. */
const LEAKS =
  /\n\s+at |\.ts:\d+|node_modules|sqlite3|syntax error|violates|duplicate key|relation "|invalid input syntax|invalid byte sequence|out of range for type|Incorrect \w+ value|Unknown column|knex|select .* from|insert into|update `|TypeError|ReferenceError|Cannot read properties/i;
/** Driver error codes (upper case: a field named `per_page` is not one). */
const CODES = /\bER_[A-Z_]{3,}|SQLITE_[A-Z_]+/;

const SQLISH = [
  "'",
  '"',
  ';',
  '--',
  '/*',
  '*/',
  '%',
  '_',
  '\\',
  '`',
  '\u0000',
  '$1',
  '?',
  ':name',
  "' OR '1'='1",
  "'; DROP TABLE articles; --",
  ') UNION SELECT * FROM users --',
  '\uD800',
  '\uFFFF',
  '💥',
  'null',
  '1e309',
  '-0',
  '__proto__',
  'constructor',
];
const sqlish = fc.oneof(
  fc.constantFrom(...SQLISH),
  fc
    .array(fc.oneof(fc.constantFrom(...SQLISH), fc.string({ maxLength: 8 })), { maxLength: 6 })
    .map((parts) => parts.join('')),
);
const names = [...ARTICLE_FIELDS.map((field) => field.name), 'id', 'created_at', 'deleted_at', 'password_hash', ''];
const name = fc.oneof(fc.constantFrom(...names), sqlish);
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  sqlish,
  fc.constantFrom(
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 1,
    1e308,
    -1e308,
    Number.MIN_VALUE,
    '9223372036854775808',
    '99999999999999999999.999',
    '2026-02-30',
    '24:00',
    '0000-00-00 00:00:00',
    'x'.repeat(70_000),
  ),
);
const body = fc.oneof(
  fc.dictionary(name, value, { maxKeys: 8 }),
  fc.record(Object.fromEntries(ARTICLE_FIELDS.map((field) => [field.name, value])), { requiredKeys: [] }),
  fc.jsonValue({ maxDepth: 2 }),
);
/** The default BODY_MAX_DEPTH: deeper bodies are a 400 before anything walks them. */
const BODY_MAX_DEPTH = 64;
/** Bodies nested deep (arrays or objects), at the top or inside a json field, up to 6,000 levels (30 KB). */
const deep = fc
  .tuple(fc.integer({ min: 1, max: 6000 }), fc.constantFrom('[', '{"a":'), fc.boolean())
  .map(([depth, open, inField]) => {
    const nested = `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`;
    return { depth: depth + (inField ? 1 : 0), text: inField ? `{"meta":${nested}}` : nested };
  });
const ops = fc.constantFrom('gt', 'gte', 'lt', 'lte', 'ne', 'in', 'like', 'eq', '', ']', '[');
const query = fc.dictionary(
  fc.oneof(
    fc.constantFrom('page', 'per_page', 'sort', 'search', 'trashed', 'include'),
    fc.tuple(name).map(([field]) => `filter[${field}]`),
    fc.tuple(name, ops).map(([field, op]) => `filter[${field}][${op}]`),
    sqlish,
  ),
  fc.oneof(
    sqlish,
    fc.integer().map(String),
    fc
      .array(fc.constantFrom(...names), { maxLength: 4 })
      .map((list) => list.map((item) => (Math.random() < 0.5 ? `-${item}` : item)).join(',')),
  ),
  { maxKeys: 6 },
);
/** Header values a client can actually send (no CR, LF or NUL). */
const headerValue = fc.oneof(sqlish, fc.string({ maxLength: 200 })).map((text) => text.replace(/[^\t\x20-\x7e]/g, ''));

interface Answer {
  status: number;
  text: string;
}

async function send(
  app: ResourceApp,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(app.base + path, { method, headers: init.headers, body: init.body });
  return { status: response.status, text: await response.text() };
}

/** Lone surrogates replaced, as a JSON response carries them (and as a URL can). */
const wellFormed = (text: string) =>
  text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** Every string a request carried, as it may come back in a response (naming a bad field or value is not a leak). */
function strings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') {
    // As it may come back: whole or as the items of a list (trimmed, without a leading -), JSON-escaped, lone surrogates replaced.
    for (const part of [value, value.trim(), ...value.split(',').map((item) => item.trim().replace(/^-/, ''))]) {
      const fixed = wellFormed(part);
      into.push(part, fixed, JSON.stringify(part).slice(1, -1), JSON.stringify(fixed).slice(1, -1));
    }
  } else if (Array.isArray(value)) for (const item of value) strings(item, into);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) strings(item, strings(key, into));
  return into;
}

/** An answer the contract allows: 2xx/4xx, a JSON envelope, nothing internal in it (beyond what the client sent). */
function safe(answer: Answer, sent: unknown): string | undefined {
  if (answer.status >= 500) return `status ${answer.status}: ${answer.text.slice(0, 300)}`;
  // Errors only: a success carries stored records, which hold whatever clients wrote.
  if (answer.status >= 400) {
    const echoed = strings(sent)
      .filter((text) => text.length > 0)
      .sort((a, b) => b.length - a.length);
    const own = echoed.reduce((text, part) => text.split(part).join(''), answer.text);
    const leak = LEAKS.exec(own) ?? CODES.exec(own);
    if (leak) return `leaks internals ("${leak[0]}"): ${answer.text.slice(0, 600)}`;
  }
  let envelope: { success?: unknown; error_code?: unknown; message?: unknown };
  try {
    envelope = JSON.parse(answer.text);
  } catch {
    return `not JSON: ${answer.text.slice(0, 200)}`;
  }
  if (
    answer.status >= 400 &&
    (envelope.success !== false || typeof envelope.error_code !== 'string' || typeof envelope.message !== 'string')
  )
    return `not an error envelope: ${answer.text.slice(0, 200)}`;
  if (answer.status < 300 && envelope.success !== true) return `not a success envelope: ${answer.text.slice(0, 200)}`;
  return undefined;
}

const encode = (params: Record<string, string>) =>
  Object.entries(params)
    .map(([key, item]) => `${encodeURIComponent(wellFormed(key))}=${encodeURIComponent(wellFormed(item))}`)
    .join('&');
/** Query strings as raw bytes: broken percent-escapes, brackets, repeated and empty parameters. */
const rawQuery = fc
  .array(
    fc.constantFrom(
      '%',
      '%zz',
      '%E0%A4%A',
      '%ED%A0%80',
      '%00',
      '%FF',
      'filter[',
      'filter[title]',
      '][',
      ']',
      '=',
      '&',
      '&&',
      'page=',
      'per_page=',
      'sort=',
      '-',
      ',',
      'search=',
      '+',
      "'",
      '__proto__',
      'constructor[prototype]',
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

for (const driver of testDrivers()) {
  test.serial(
    `${driver}: generated bodies, query strings, ids and headers never get a 5xx or leak internals`,
    async (t) => {
      t.timeout(600_000);
      const app = await startResourceApp({ driver, database: `fastpy_fuzz_${process.pid}` });
      t.teardown(() => app.close());
      const token = await app.token();
      const auth = { authorization: `Bearer ${token}` };
      const json = { ...auth, 'content-type': 'application/json' };
      const created = await send(app, 'POST', '/api/articles', {
        headers: json,
        body: JSON.stringify({ title: 'Fuzz target', price: '1.00', slug: 'fuzz-target', user_id: 1 }),
      });
      t.is(created.status, 201, created.text);
      const id = JSON.parse(created.text).data.id as number;
      let requests = 0;
      const check = async (answer: Promise<Answer>, what: () => string, sent: unknown) => {
        requests++;
        const result = await answer;
        const problem = safe(result, sent);
        if (problem) throw new Error(`${what()}: ${problem}`);
      };
      const property = async <T>(name: string, arbitrary: fc.Arbitrary<T>, run: (input: T) => Promise<void>) => {
        const outcome = await fc.check(fc.asyncProperty(arbitrary, run), { numRuns: RUNS, seed: SEED });
        t.false(
          outcome.failed,
          `${name}: ${outcome.errorInstance instanceof Error ? outcome.errorInstance.message : ''}\n${fc.defaultReportMessage(outcome) ?? ''}`,
        );
      };

      await property('create bodies', body, async (input: unknown) =>
        check(
          send(app, 'POST', '/api/articles', { headers: json, body: JSON.stringify(input) }),
          () => `POST ${JSON.stringify(input).slice(0, 400)}`,
          input,
        ),
      );
      await property(
        'update bodies',
        fc.tuple(fc.constantFrom('PUT', 'PATCH'), body),
        async ([method, input]: [string, unknown]) =>
          check(
            send(app, method, `/api/articles/${id}`, { headers: json, body: JSON.stringify(input) }),
            () => `${method} ${JSON.stringify(input).slice(0, 400)}`,
            input,
          ),
      );
      await property(
        'raw bodies',
        fc.tuple(
          fc.constantFrom(
            'application/json',
            'application/x-www-form-urlencoded',
            'text/plain',
            'multipart/form-data; boundary=x',
            '',
          ),
          fc.oneof(sqlish, fc.string({ maxLength: 300 })),
        ),
        async ([type, raw]: [string, string]) =>
          check(
            send(app, 'POST', '/api/articles', { headers: { ...auth, 'content-type': type }, body: raw }),
            () => `POST ${type} ${JSON.stringify(raw)}`,
            [raw, ...new URLSearchParams(raw)],
          ),
      );
      await property('list query strings', query, async (params: Record<string, string>) =>
        check(
          send(app, 'GET', `/api/articles?${encode(params)}`, { headers: auth }),
          () => `GET ?${encode(params)}`,
          params,
        ),
      );
      await property('raw query strings', rawQuery, async (raw: string) =>
        check(send(app, 'GET', `/api/articles?${raw}`, { headers: auth }), () => `GET ?${raw}`, [
          raw,
          ...new URLSearchParams(raw),
        ]),
      );
      await property(
        'ids',
        fc.oneof(sqlish, fc.integer().map(String), fc.bigInt().map(String)),
        async (raw: string) => {
          const path = `/api/articles/${encodeURIComponent(wellFormed(raw))}`;
          await check(send(app, 'GET', path, { headers: auth }), () => `GET ${path}`, raw);
          await check(send(app, 'POST', `${path}/restore`, { headers: auth }), () => `POST ${path}/restore`, raw);
        },
      );
      await property(
        'headers',
        fc.record({
          authorization: headerValue,
          'content-type': headerValue,
          'x-request-id': headerValue,
          accept: headerValue,
        }),
        async (headers: Record<string, string>) =>
          check(
            send(app, 'POST', '/api/articles', { headers, body: '{"title":"x"}' }),
            () => `headers ${JSON.stringify(headers)}`,
            headers,
          ),
      );
      await property(
        'auth bodies',
        fc.tuple(
          fc.constantFrom(
            '/register',
            '/login/json',
            '/refresh',
            '/forgot-password',
            '/reset-password',
            '/verify-email',
          ),
          body,
        ),
        async ([path, input]: [string, unknown]) =>
          check(
            send(app, 'POST', `/api/auth${path}`, {
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(input),
            }),
            () => `POST /api/auth${path} ${JSON.stringify(input).slice(0, 300)}`,
            input,
          ),
      );
      await property(
        'form logins',
        fc.dictionary(
          fc.oneof(fc.constantFrom('username', 'password', 'grant_type'), sqlish),
          fc.oneof(sqlish, fc.string()),
          { maxKeys: 4 },
        ),
        async (form: Record<string, string>) =>
          check(
            send(app, 'POST', '/api/auth/login', {
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: encode(form),
            }),
            () => `login ${encode(form)}`,
            form,
          ),
      );
      await property(
        'deeply nested bodies',
        fc.tuple(
          fc.constantFrom(
            '/api/articles',
            '/api/auth/register',
            '/api/auth/login/json',
            '/api/auth/refresh',
            '/api/auth/forgot-password',
          ),
          deep,
        ),
        async ([path, input]) => {
          const answer = send(app, 'POST', path, { headers: json, body: input.text });
          await check(answer, () => `POST ${path} nested ${input.depth} deep`, input.text);
          const { status } = await answer;
          if (input.depth > BODY_MAX_DEPTH && status !== 400)
            throw new Error(`POST ${path} nested ${input.depth} deep: ${status}, not 400`);
        },
      );
      t.true(requests >= RUNS * 10, `${requests} requests`);
      t.log(`${requests} requests, ${FIELD_TYPES.length} field types, seed ${SEED}`);
    },
  );
}
