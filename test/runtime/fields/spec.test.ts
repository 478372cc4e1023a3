// The field language parser: every type, every rule, and every way a spec can be wrong.
import test from 'ava';
import {
  FIELD_TYPES,
  FieldSpecError,
  formatFieldSpec,
  parseFieldSpec,
  parseFieldSpecs,
  TYPES,
} from '../../../runtime/fields/spec.js';

const problemsOf = (t: import('ava').ExecutionContext, ...specs: string[]) =>
  t.throws(() => parseFieldSpecs(specs), { instanceOf: FieldSpecError })?.problems ?? [];

test('all 22 types parse, bare', (t) => {
  t.is(FIELD_TYPES.length, 22);
  for (const type of FIELD_TYPES)
    t.deepEqual(parseFieldSpec(`x_${type}:${type}`), { name: `x_${type}`, type, rules: {} });
});

test('rules parse to typed values; ge/le are gte/lte', (t) => {
  t.deepEqual(parseFieldSpec('title:string:required,max:200,min:3,unique,index').rules, {
    required: true,
    max: 200,
    min: 3,
    unique: true,
    index: true,
  });
  t.deepEqual(parseFieldSpec('price:decimal:required,ge:0,le:1000').rules, { required: true, gte: 0, lte: 1000 });
  t.deepEqual(parseFieldSpec('ratio:float:gt:0,lt:1.5').rules, { gt: 0, lt: 1.5 });
  t.deepEqual(parseFieldSpec('user_id:integer:required,foreign:users.id').rules, {
    required: true,
    foreign: { table: 'users', column: 'id' },
  });
  t.deepEqual(parseFieldSpec('published_at:datetime:nullable').rules, { nullable: true });
  t.deepEqual(parseFieldSpec('TYPE_CASE:STRING'.toLowerCase()).type, 'string');
});

test("a rule's value is everything after its first colon", (t) => {
  t.is(parseFieldSpec('starts_at:time:default:12:30').rules.default, '12:30:00');
  t.is(parseFieldSpec('opens_at:time:default:08:15:30').rules.default, '08:15:30');
  t.is(parseFieldSpec('site:url:default:https://example.com:8080/x').rules.default, 'https://example.com:8080/x');
  t.is(parseFieldSpec('at:datetime:default:2026-11-27T10:00:00+02:00').rules.default, '2026-11-27T08:00:00.000Z');
});

test('defaults are typed, and a JSON default keeps its commas', (t) => {
  t.is(parseFieldSpec('status:string:default:draft').rules.default, 'draft');
  t.is(parseFieldSpec('views:integer:default:0').rules.default, 0);
  t.is(parseFieldSpec('big:bigint:default:9007199254740993').rules.default, '9007199254740993');
  t.is(parseFieldSpec('price:decimal:default:9.5').rules.default, '9.50');
  t.is(parseFieldSpec('active:boolean:default:true').rules.default, true);
  t.is(parseFieldSpec('active:boolean:default:0').rules.default, false);
  t.is(parseFieldSpec('seen_at:datetime:default:now').rules.default, 'now');
  t.deepEqual(parseFieldSpec('meta:json:nullable,default:{"a":1,"b":[2,3]}').rules, {
    nullable: true,
    default: { a: 1, b: [2, 3] },
  });
  t.deepEqual(parseFieldSpec('tags:json:default:["x","y"],nullable').rules, { default: ['x', 'y'], nullable: true });
  t.is(parseFieldSpec('note:text:nullable,default:null').rules.default, null);
  t.is(
    parseFieldSpec('id_ref:uuid:default:3F2B8C1E-9D4A-4E6F-8A7B-1C2D3E4F5A6B').rules.default,
    '3f2b8c1e-9d4a-4e6f-8a7b-1c2d3e4f5a6b',
  );
});

test('unknown types and rules are named, with a suggestion and the list', (t) => {
  const [type] = problemsOf(t, 'price:decimall');
  t.regex(type!, /^field "price": unknown type "decimall" \(did you mean "decimal"\?\); types: string, text, /);
  const [rule] = problemsOf(t, 'title:string:requred');
  t.regex(rule!, /^field "title": unknown rule "requred" \(did you mean "required"\?\); rules: required, nullable/);
  t.regex(problemsOf(t, 'title')[0]!, /no type given/);
});

test('a rule that makes no sense for its type is refused, naming what the type takes', (t) => {
  t.deepEqual(problemsOf(t, 'active:boolean:max:5'), [
    'field "active": rule "max" does not apply to boolean (boolean takes: required, nullable, default, index)',
  ]);
  t.regex(problemsOf(t, 'title:string:gte:3')[0]!, /rule "gte" does not apply to string/);
  t.regex(problemsOf(t, 'body:text:unique')[0]!, /rule "unique" does not apply to text/);
  t.regex(problemsOf(t, 'meta:json:index')[0]!, /rule "index" does not apply to json/);
  t.regex(problemsOf(t, 'at:datetime:foreign:users.id')[0]!, /rule "foreign" does not apply to datetime/);
  t.regex(problemsOf(t, 'color:color:max:7')[0]!, /rule "max" does not apply to color/);
});

test('contradictions and impossible bounds', (t) => {
  t.deepEqual(problemsOf(t, 'title:string:required,nullable'), [
    'field "title": "required" and "nullable" contradict each other: a required field must have a value',
  ]);
  t.regex(problemsOf(t, 'status:string:required,default:draft')[0]!, /"required" and "default" contradict/);
  t.regex(problemsOf(t, 'age:integer:min:10,max:5')[0]!, /the bounds leave no valid value \(lower 10, upper 5\)/);
  t.regex(problemsOf(t, 'ratio:float:gt:1,lt:1')[0]!, /leave no valid value/);
  t.notThrows(() => parseFieldSpec('ratio:float:gte:1,lte:1'));
  t.regex(problemsOf(t, 'age:integer:max:3000000000')[0]!, /outside what a integer holds/);
  t.regex(problemsOf(t, 'share:percent:max:150')[0]!, /outside what a percent holds \(0 to 100\)/);
  t.regex(problemsOf(t, 'title:string:max:20000')[0]!, /use the text type/);
  t.regex(problemsOf(t, 'title:string:max:1000,unique')[0]!, /refused by MySQL; add max:768 or less/);
  t.regex(problemsOf(t, 'title:string:max:0')[0]!, /whole number of characters ≥ 1/);
  t.regex(problemsOf(t, 'age:integer:max:1.5')[0]!, /needs a whole number for integer/);
  t.regex(problemsOf(t, 'title:string:unique,unique')[0]!, /given twice/);
  t.regex(problemsOf(t, 'title:string:required:yes')[0]!, /takes no value/);
  t.regex(problemsOf(t, 'user_id:integer:foreign:Users')[0]!, /needs table\.column/);
});

test('a default is measured in characters, as its column is', (t) => {
  t.is(parseFieldSpec('mood:string:max:2,default:😀😀').rules.default, '😀😀');
});

test('a default that fails its own type or rules', (t) => {
  const cases: Array<[string, RegExp]> = [
    ['age:integer:default:abc', /default "abc" is not a 32-bit integer/],
    ['mood:string:max:2,default:😀😀😀', /default "😀😀😀" is longer than max:2/],
    [
      'price:decimal:default:1.999',
      /default "1.999" is not a decimal with at most 8 digits before the point and 2 after/,
    ],
    ['active:boolean:default:yes', /is not a boolean/],
    ['day:date:default:2026-02-30', /is not a calendar date/],
    ['at:time:default:25:00', /is not a time/],
    ['at:datetime:default:2026-11-27T10:00:00', /with a zone/],
    ['mail:email:default:nobody', /is not an e-mail address/],
    ['site:url:default:ftp://x.org', /is not an http\(s\) URL/],
    ['phone:phone:default:0123', /E\.164/],
    ['slug:slug:default:Not A Slug', /is not a slug/],
    ['color:color:default:red', /is not a color/],
    ['ip:ip:default:300.1.1.1', /IPv4 or IPv6/],
    ['meta:json:default:42', /JSON object or array/],
    ['ref:uuid:default:123', /is not a UUID/],
    ['code:string:max:3,default:toolong', /longer than max:3/],
    ['age:integer:gte:18,default:12', /default 12 breaks gte:18/],
    ['price:money:lt:10,default:10', /breaks lt:10/],
    ['note:text:default:null', /not nullable/],
  ];
  for (const [spec, expected] of cases) t.regex(problemsOf(t, spec)[0] ?? '', expected, spec);
});

test('names: snake_case, at most 63 characters, not reserved; duplicates refused', (t) => {
  t.regex(problemsOf(t, 'Title:string')[0]!, /^field "Title": field names are snake_case/);
  t.regex(problemsOf(t, `${'a'.repeat(64)}:string`)[0]!, /at most 63 characters/);
  for (const reserved of ['id', 'created_at', 'updated_at', 'deleted_at'])
    t.regex(problemsOf(t, `${reserved}:string`)[0]!, /is reserved/);
  t.deepEqual(problemsOf(t, 'title:string', 'title:text'), ['field "title": defined 2 times']);
});

test('every problem of every spec is reported at once', (t) => {
  const problems = problemsOf(t, 'Bad:string', 'price:money:required,nullable', 'ok:string', 'x:nope');
  t.is(problems.length, 3);
  const error = t.throws(() => parseFieldSpecs(['Bad:string', 'x:nope']), { instanceOf: FieldSpecError });
  t.regex(error.message, /^Invalid field specs:\n {2}- field "Bad"/);
  t.is(error.code, 'E_FIELD_SPEC');
});

test('format is the inverse of parse', (t) => {
  for (const spec of [
    'title:string:required,unique,max:200',
    'price:decimal:gte:0,default:9.50',
    'meta:json:nullable,default:{"a":[1,2]}',
    'user_id:integer:required,foreign:users.id',
    'body:text',
  ]) {
    t.deepEqual(parseFieldSpec(formatFieldSpec(parseFieldSpec(spec))), parseFieldSpec(spec), spec);
  }
});

test('the type table follows DESIGN.md: columns and casts', (t) => {
  t.deepEqual(TYPES.decimal.column, { method: 'decimal', args: [10, 2] });
  t.deepEqual(TYPES.money.column, { method: 'decimal', args: [15, 2] });
  t.deepEqual(TYPES.percent.column, { method: 'decimal', args: [5, 2] });
  t.deepEqual(TYPES.url.column, { method: 'string', args: [2048] });
  t.deepEqual(TYPES.phone.column, { method: 'string', args: [20] });
  t.deepEqual(TYPES.ip.column, { method: 'string', args: [45] });
  t.deepEqual(TYPES.color.column, { method: 'string', args: [7] });
  t.is(TYPES.bigint.cast, 'bigint');
  t.is(TYPES.float.column.method, 'double');
});
