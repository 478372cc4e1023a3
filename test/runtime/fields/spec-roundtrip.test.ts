// Every spec the parser accepts survives .yo-rc.json: formatting a parsed field and parsing it again
// gives the same field (a property over generated specs of every type and rule, tricky values included).
import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import {
  FIELD_TYPES,
  formatFieldSpec,
  parseFieldSpec,
  RESERVED_FIELD_NAMES,
  TYPES,
  type FieldDefinition,
  type FieldType,
  type RuleName,
} from '../../../runtime/fields/spec.js';

const name = fc
  .stringMatching(/^[a-z][a-z0-9_]{0,30}$/)
  .filter((value) => !(RESERVED_FIELD_NAMES as readonly string[]).includes(value));

/** Text that stresses the spec syntax: separators, quotes, brackets, spaces, non-ASCII. */
const trickyText = fc.string({
  unit: fc.constantFrom(
    'a',
    'Z',
    '0',
    ' ',
    ',',
    ':',
    '"',
    "'",
    '{',
    '}',
    '[',
    ']',
    '\\',
    'é',
    '😀',
    '-',
    '.',
    'null',
    'true',
  ),
  maxLength: 12,
});

const decimalText = fc
  .tuple(fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.integer({ min: 0, max: 99 }))
  .map(([whole, cents]) => `${whole}.${String(cents).padStart(2, '0')}`);

/** Values a default of each type may take: valid ones mostly, and tricky text for every type. */
function defaultValue(type: FieldType): fc.Arbitrary<string> {
  const typed: Partial<Record<FieldType, fc.Arbitrary<string>>> = {
    integer: fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }).map(String),
    bigint: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
    float: fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.constantFrom('1e21', '1e-7', '-0', '0.1', '5e-324'),
    ),
    decimal: decimalText,
    money: decimalText,
    percent: fc.integer({ min: 0, max: 10_000 }).map((cents) => (cents / 100).toFixed(2)),
    boolean: fc.constantFrom('true', 'false', '1', '0', 'TRUE'),
    datetime: fc.oneof(
      fc.constant('now'),
      fc
        .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((date) => date.toISOString()),
    ),
    date: fc
      .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10)),
    time: fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    json: fc
      .oneof(
        fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })),
        fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
      )
      .map((value) => JSON.stringify(value)),
    uuid: fc.uuid(),
    email: fc.constantFrom('ada@example.com', 'x.y+z@sub.example.org'),
    url: fc.constantFrom('https://example.com', 'http://example.com:8080/a?b=c,d'),
    phone: fc.constantFrom('+14155550100', '+442071838750'),
    slug: fc.stringMatching(/^[a-z0-9]{1,5}(-[a-z0-9]{1,5}){0,2}$/),
    ip: fc.oneof(fc.ipV4(), fc.ipV6()),
    color: fc.stringMatching(/^#[0-9a-fA-F]{6}$/),
  };
  return fc.oneof(
    { weight: 4, arbitrary: typed[type] ?? trickyText },
    { weight: 1, arbitrary: trickyText },
    { weight: 1, arbitrary: fc.constant('null') },
  );
}

const bound = fc.oneof(
  fc.integer({ min: -1000, max: 100_000 }).map(String),
  fc.constantFrom('0.5', '1.25', '0.0000001', '+3', '255', '16383', '768'),
);

/** A spec string of a type with a random choice of the rules it takes, in random order. */
const specOf = (type: FieldType) =>
  fc
    .tuple(
      name,
      fc.subarray([...TYPES[type].rules] as RuleName[]),
      fc.constantFrom('users.id', 'posts.id', 'blog_posts.slug'),
      defaultValue(type),
      fc.array(bound, { minLength: 6, maxLength: 6 }),
    )
    .chain(([fieldName, rules, foreign, fallback, bounds]) =>
      fc.shuffledSubarray(rules, { minLength: rules.length, maxLength: rules.length }).map((ordered) => {
        const parts = ordered.map((rule, index) => {
          if (rule === 'foreign') return `foreign:${foreign}`;
          if (rule === 'default') return `default:${fallback}`;
          if (['max', 'min', 'gte', 'lte', 'gt', 'lt'].includes(rule))
            return `${rule}:${bounds[index % bounds.length]}`;
          return rule;
        });
        return [fieldName, type, ...(parts.length > 0 ? [parts.join(',')] : [])].join(':');
      }),
    );
// Built once per type (building arbitraries per sample is what makes a property slow).
const spec = fc.oneof(...FIELD_TYPES.map(specOf));

function accepted(text: string): FieldDefinition | undefined {
  try {
    return parseFieldSpec(text);
  } catch {
    return undefined;
  }
}

test('format then parse gives the same field, for every spec the parser accepts', (t) => {
  let parsed = 0;
  const byType = new Map<FieldType, number>();
  fc.assert(
    fc.property(spec, (text) => {
      const field = accepted(text);
      if (!field) return;
      parsed++;
      byType.set(field.type, (byType.get(field.type) ?? 0) + 1);
      const stored = formatFieldSpec(field);
      const again = parseFieldSpec(stored);
      if (!isDeepStrictEqual(again, field)) {
        throw new Error(
          `${text}\n  parsed:    ${JSON.stringify(field)}\n  stored as: ${stored}\n  read back: ${JSON.stringify(again)}`,
        );
      }
      t.is(formatFieldSpec(again), stored, 'formatting is stable');
    }),
    { numRuns: 4000, seed: Number(process.env.FASTPY_PROPERTY_SEED ?? 20261201) },
  );
  // The generator must reach the parser's accepted ground on every type, not only its errors.
  for (const type of FIELD_TYPES)
    t.true((byType.get(type) ?? 0) >= 20, `${type}: ${byType.get(type) ?? 0} accepted specs`);
  t.true(parsed > 1500, `${parsed} of 4000 generated specs were accepted`);
});

test('the round trips that once failed: a default of true, exponent bounds, -0', (t) => {
  for (const text of [
    'active:boolean:default:true',
    'on:boolean:nullable,default:true,index',
    'ratio:float:gte:0.0000001',
    'x:float:default:-0',
    'x:float:default:1e21',
    'x:float:default:5e-324',
  ]) {
    const field = parseFieldSpec(text);
    t.deepEqual(parseFieldSpec(formatFieldSpec(field)), field, text);
  }
  t.is(formatFieldSpec(parseFieldSpec('active:boolean:default:true')), 'active:boolean:default:true');
});
