// Body validation and fake values from field definitions: what each type accepts and refuses,
// and fake values that always pass their own field's validation.
import { faker } from '@faker-js/faker';
import test from 'ava';
import { fakeValue } from '../../../runtime/fields/fake.js';
import { parseListQuery } from '../../../runtime/fields/query.js';
import { FIELD_TYPES, parseFieldSpec, parseFieldSpecs } from '../../../runtime/fields/spec.js';
import { resourceBody } from '../../../runtime/fields/validation.js';
import { ValidationException } from '../../../runtime/utils/exceptions.js';

const errorsOf = async (specs: string[], body: unknown, mode: 'create' | 'replace' | 'patch' = 'create') => {
  try {
    await resourceBody(parseFieldSpecs(specs)).parse(body, mode);
    return undefined;
  } catch (error) {
    if (error instanceof ValidationException) return error.errors;
    throw error;
  }
};

test('valid values are normalised for storage', async (t) => {
  const body = resourceBody(
    parseFieldSpecs([
      'price:decimal',
      'big:bigint',
      'at:datetime',
      'starts:time',
      'ref:uuid',
      'ok:boolean',
      'meta:json',
    ]),
  );
  const attributes = await body.parse(
    {
      price: 19.9,
      big: '9007199254740993',
      at: '2026-11-27T12:00:00+02:00',
      starts: '09:30',
      ref: '3F2B8C1E-9D4A-4E6F-8A7B-1C2D3E4F5A6B',
      ok: false,
      meta: [1],
    },
    'create',
  );
  t.deepEqual(attributes, {
    price: '19.90',
    big: '9007199254740993',
    at: new Date('2026-11-27T10:00:00Z'),
    starts: '09:30:00',
    ref: '3f2b8c1e-9d4a-4e6f-8a7b-1c2d3e4f5a6b',
    ok: false,
    meta: [1],
  });
});

test('each type refuses what it is not', async (t) => {
  const cases: Array<[string, unknown]> = [
    ['integer', 1.5],
    ['integer', '3'],
    ['integer', 2 ** 31],
    ['bigint', 2 ** 60],
    ['bigint', '1e5'],
    ['float', 'NaN'],
    ['decimal', '123456789.00'],
    ['decimal', '1.234'],
    ['money', 'abc'],
    ['percent', '100.01'],
    ['percent', -1],
    ['boolean', 'true'],
    ['boolean', 1],
    ['datetime', '2026-11-27T10:00:00'],
    ['datetime', '2026-02-30T10:00:00Z'],
    ['date', '2026-02-30'],
    ['date', '27/11/2026'],
    ['time', '24:00'],
    ['email', 'ada@'],
    ['url', 'javascript:alert(1)'],
    ['url', 'ftp://example.com'],
    ['uuid', 'nope'],
    ['json', 'a string'],
    ['json', 42],
    ['phone', '4155550100'],
    ['slug', 'Hello World'],
    ['ip', '999.1.1.1'],
    ['color', '#12345g'],
    ['string', 42],
    ['text', ['a']],
  ];
  for (const [type, value] of cases) {
    const errors = await errorsOf([`v:${type}`], { v: value });
    t.truthy(errors?.v, `${type} accepted ${JSON.stringify(value)}`);
  }
});

test('lengths and bounds, at and past the edge', async (t) => {
  t.is(await errorsOf(['t:string:max:5'], { t: 'abcde' }), undefined);
  t.deepEqual(await errorsOf(['t:string:max:5'], { t: 'abcdef' }), { t: ['t must be at most 5 characters'] });
  // Characters as the databases count them, not UTF-16 units (an emoji is two of those).
  t.is(await errorsOf(['t:string:max:120'], { t: '😀'.repeat(120) }), undefined);
  t.deepEqual(await errorsOf(['t:string:max:120'], { t: '😀'.repeat(121) }), {
    t: ['t must be at most 120 characters'],
  });
  t.deepEqual(await errorsOf(['t:text:min:3'], { t: '😀😀' }), { t: ['t must be at least 3 characters'] });
  t.is(await errorsOf(['t:text:min:3'], { t: '😀é😀' }), undefined);
  t.deepEqual(await errorsOf(['t:string:min:2'], { t: 'a' }), { t: ['t must be at least 2 characters'] });
  t.deepEqual(await errorsOf(['t:string'], { t: 'x'.repeat(256) }), { t: ['t must be at most 255 characters'] });
  t.is(await errorsOf(['n:integer:gte:0,lte:10'], { n: 10 }), undefined);
  t.deepEqual(await errorsOf(['n:integer:gt:0'], { n: 0 }), { n: ['n must be greater than 0'] });
  t.deepEqual(await errorsOf(['f:float:lt:1'], { f: 1 }), { f: ['f must be less than 1'] });
  t.is(await errorsOf(['f:float:lt:1'], { f: 0.9999 }), undefined);
  t.deepEqual(await errorsOf(['p:decimal:max:10'], { p: '10.01' }), { p: ['p must be at most 10'] });
  // Floats JSON writes with an exponent (found by the fuzz test: they were a 500).
  t.is(await errorsOf(['f:float:gt:0,lt:10'], { f: 5e-324 }), undefined);
  t.deepEqual(await errorsOf(['f:float:gt:0,lt:10'], { f: 1e308 }), { f: ['f must be less than 10'] });
  t.deepEqual(await errorsOf(['f:float:gt:0,lt:10'], { f: -1e308 }), { f: ['f must be greater than 0'] });
  t.deepEqual(await errorsOf(['f:float:gte:0.001'], { f: 1e-7 }), { f: ['f must be greater than or equal to 0.001'] });
});

test('required, nullable and optional; unknown and guarded fields', async (t) => {
  t.deepEqual(await errorsOf(['a:string:required', 'b:string'], {}), { a: ['a is required'] });
  t.deepEqual(await errorsOf(['a:string:required'], { a: null }), { a: ['a cannot be null'] });
  t.deepEqual(await errorsOf(['b:string'], { b: null }), { b: ['b cannot be null (leave it out instead)'] });
  t.is(await errorsOf(['c:string:nullable'], { c: null }), undefined);
  t.is(await errorsOf(['a:string:required'], {}, 'patch'), undefined);
  // required text means a value that is not blank, as Laravel's required; optional text may be blank.
  for (const blank of ['', '   ', '\t\n']) {
    t.deepEqual(
      await errorsOf(['a:string:required'], { a: blank }),
      { a: ['a must not be blank'] },
      JSON.stringify(blank),
    );
    t.deepEqual(await errorsOf(['a:text:required'], { a: blank }, 'patch'), { a: ['a must not be blank'] });
  }
  t.is(await errorsOf(['a:string'], { a: '' }), undefined);
  t.is(await errorsOf(['a:string:required'], { a: ' x ' }), undefined);
  t.deepEqual(await errorsOf(['a:string'], { id: 1, created_at: 'x', colour: 'red' }), {
    id: ['id is set by the server and cannot be written'],
    created_at: ['created_at is set by the server and cannot be written'],
    colour: ['colour is not a field of this resource'],
  });
  t.deepEqual(await errorsOf(['a:string'], [1, 2]), { body: ['must be a JSON object'] });
});

test('defaults apply on create when omitted, and on replace', async (t) => {
  const body = resourceBody(
    parseFieldSpecs(['status:string:default:draft', 'views:integer:default:0', 'note:text:nullable']),
  );
  t.deepEqual(await body.parse({}, 'create'), { status: 'draft', views: 0 });
  t.deepEqual(await body.parse({ status: 'live' }, 'replace'), { status: 'live', views: 0, note: null });
  t.deepEqual(await body.parse({ views: 3 }, 'patch'), { views: 3 });
});

test('fake values always pass their own field validation', async (t) => {
  const specs = [
    ...FIELD_TYPES.map((type) => `v:${type}`),
    'v:string:required,max:3,min:2',
    'v:string:unique,max:10',
    'v:text:min:50,max:60',
    'v:integer:gt:5,lt:8',
    'v:integer:unique,gte:-3,lte:1000',
    'v:bigint:gte:100',
    'v:float:gt:0,lt:0.01',
    'v:decimal:gte:99999990',
    'v:money:lt:0',
    'v:percent:gt:99.5',
    'v:email:unique',
    'v:slug:unique,max:20',
    'v:phone:unique',
    'v:ip:unique',
    'v:color:unique',
    'v:date:unique',
    'v:time:unique',
    'v:datetime:unique',
    'v:decimal:unique,lt:1',
  ];
  for (const spec of specs) {
    const field = parseFieldSpec(spec);
    const body = resourceBody([field]);
    for (let sequence = 1; sequence <= 40; sequence++) {
      const value = fakeValue(field, faker, sequence * 7919);
      await t.notThrowsAsync(body.parse({ v: value }, 'create'), `${spec} → ${JSON.stringify(value)}`);
    }
  }
});

test('names clients choose are reported like any other: __proto__ and constructor; NUL is refused', async (t) => {
  const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
  t.deepEqual(
    json(await errorsOf(['t:string'], JSON.parse('{"__proto__": 1, "constructor": 2}'))),
    JSON.parse(
      '{"__proto__": ["__proto__ is not a field of this resource"], "constructor": ["constructor is not a field of this resource"]}',
    ),
  );
  t.deepEqual(json(await errorsOf(['t:string', 'b:text'], { t: 'a\u0000b', b: '\u0000' })), {
    t: ['t must not contain NUL characters'],
    b: ['b must not contain NUL characters'],
  });
  const fields = parseFieldSpecs(['title:string']);
  const parse = (query: Record<string, string>) => {
    try {
      parseListQuery(query, fields, { table: 'posts' });
      return undefined;
    } catch (error) {
      return (error as ValidationException).errors;
    }
  };
  t.deepEqual(Object.keys(parse(JSON.parse('{"__proto__": ""}'))!), ['__proto__']);
  t.deepEqual(json(parse({ search: 'a\u0000' })), { search: ['search must not contain NUL characters'] });
});

test('list query: sort, filters and search are allow-listed; a bad parameter is named', (t) => {
  const fields = parseFieldSpecs(['title:string', 'body:text', 'views:integer', 'meta:json', 'live:boolean']);
  const query = parseListQuery(
    { sort: 'title,-views', 'filter[views][gte]': '3', 'filter[live]': 'true', search: '50%_off', page: '2' },
    fields,
    { table: 'posts' },
  );
  t.deepEqual(query.sort, [
    { column: 'posts.title', direction: 'asc' },
    { column: 'posts.views', direction: 'desc' },
  ]);
  t.deepEqual(query.filters, [
    { field: 'views', operator: 'gte', value: 3 },
    { field: 'live', operator: 'eq', value: true },
  ]);
  t.is(query.page, 2);
  const errors = (q: Record<string, string>) =>
    t.throws(() => parseListQuery(q, fields, { table: 'posts' }), { instanceOf: ValidationException }).errors!;
  t.regex(
    errors({ sort: 'body' }).sort![0]!,
    /cannot sort by "body"; sortable: id, created_at, updated_at, title, views, live/,
  );
  t.regex(errors({ 'filter[meta]': 'x' })['filter[meta]']![0]!, /cannot filter by "meta"/);
  t.regex(errors({ 'filter[views][like]': '1' })['filter[views][like]']![0]!, /unknown operator "like"/);
  t.regex(errors({ 'filter[views]': 'many' })['filter[views]']![0]!, /views must be an integer/);
  t.regex(errors({ colour: 'red' }).colour![0]!, /unknown parameter "colour"/);
  t.deepEqual(Object.keys(errors({ page: '0', trashed: 'all' })).sort(), ['page', 'trashed']);
});
