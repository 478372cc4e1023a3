// What a field type is, in one place: its column, cast and TypeScript type, the rules it takes, how
// a JSON value is checked, a `default:` parsed, a filter's text read, its JSON Schema, a fake value,
// and values it must refuse. Each type is one file beside this one (types/index.ts lists them);
// everything that treats fields by type (the spec parser, validation, list queries, the OpenAPI
// document, factories, the contract tests, the generator) asks the descriptor.
import type { Faker } from '@faker-js/faker';
import type { DecimalShape } from '../formats.js';
import type { FieldDefinition, RuleName } from '../spec.js';

/**
 * How a column's driver value becomes its JSON value (runtime/models/base-model.ts applies it).
 * `decimal:N` keeps N decimal places as an exact string.
 */
export type Cast =
  'string' | 'integer' | 'bigint' | 'float' | `decimal:${number}` | 'boolean' | 'datetime' | 'date' | 'time' | 'json';

/** Types of one family share their rules' meaning: lengths for text, bounds for numbers. */
export type Family = 'text' | 'integer' | 'float' | 'decimal' | 'boolean' | 'temporal' | 'json' | 'identifier';

/** A JSON Schema (OpenAPI 3.1). */
export type JsonSchema = Record<string, unknown>;

/** A value accepted (and the value to store), or why not. */
export type Checked = { value: unknown } | { problem: string };
/** The check of one field's values, made once per field. */
export type ValueCheck = (value: unknown) => Checked;

export interface TypeInfo {
  family: Family;
  /** The column a migration makes: the Knex builder and its arguments. */
  column: {
    method: string;
    args: readonly (number | string)[];
    /** The length is the field's `max` when it has one (string): `args` hold the length without. */
    sizedByMax?: true;
    /** The builder's options, as code (datetime: `{ useTz: true, precision: 3 }`). */
    options?: string;
    /** The column takes no database default (MySQL refuses one on TEXT/JSON): the app applies it. */
    noDefault?: true;
  };
  /** The TypeScript type of the JSON value. */
  tsType: string;
  /** The model cast. */
  cast: Cast;
  /** Longest value the column holds, for text types. */
  maxLength?: number;
  decimal?: DecimalShape & { min?: string; max?: string };
  /** Searched by `?search=` (case-insensitive). */
  searchable: boolean;
  /** May be used in `?sort=` and `?filter[...]`. */
  sortable: boolean;
  rules: readonly RuleName[];
  /** What a valid value looks like, for messages. */
  example: string;
}

export interface FieldTypeDescriptor extends TypeInfo {
  /** The check of a request body's value: its JSON type and format, and the normalised value stored. */
  check(field: FieldDefinition): ValueCheck;
  /** A spec's `default:` text (not `null`) as a typed value, or why not (said after `default "<text>"`). */
  parseDefault(raw: string, field: FieldDefinition): Checked;
  /** A `filter[...]` query text as the JSON value `check` takes (numbers and booleans typed). */
  fromQuery(raw: string): unknown;
  /**
   * The JSON Schema of a value: type and format; the document adds bounds, lengths and null from the
   * rules. Formats as `check` decides them (fields/formats.ts's patterns), so that the document never
   * accepts what the API refuses (JSON Schema's "time" format wants a zone; ours has none).
   */
  schema(field: FieldDefinition): JsonSchema;
  /** A value within the field's rules (`sequence` grows per record, for unique fields). */
  fake(field: FieldDefinition, faker: Faker, sequence: number): unknown;
  /** Values `check` refuses whatever the rules, and a filter text it refuses: the contract tests send them. */
  invalid: { body: readonly unknown[]; filter?: string };
}

export const BASE_RULES: readonly RuleName[] = ['required', 'nullable', 'default'];
export const KEYED_RULES: readonly RuleName[] = [...BASE_RULES, 'unique', 'index'];
export const LENGTH_RULES: readonly RuleName[] = [...KEYED_RULES, 'max', 'min'];
export const NUMBER_RULES: readonly RuleName[] = [...KEYED_RULES, 'max', 'min', 'gte', 'lte', 'gt', 'lt'];

export const ok = (value: unknown): Checked => ({ value });
export const problem = (text: string): Checked => ({ problem: text });

/** A query text taken as it is (text types). */
export const asText = (raw: string): unknown => raw;

/** The check of a string value: `test` decides, `normalise` gives what is stored. */
export function stringCheck(
  name: string,
  test: (value: string) => boolean,
  what: string,
  normalise: (value: string) => unknown = (value) => value,
): ValueCheck {
  return (value) => {
    if (typeof value !== 'string') return problem(`${name} must be a string`);
    return test(value) ? ok(normalise(value)) : problem(`${name} must be ${what}`);
  };
}

/** A `default:` of a string format: kept as written when `test` passes. */
export function formatDefault(test: (value: string) => boolean, why: string) {
  return (raw: string): Checked => (test(raw) ? ok(raw) : problem(why));
}

/**
 * A type stored in a string column (text family): what they share, with `extra` for the rest.
 * The descriptor's behaviour (check, default, schema, fake) is the type's own.
 */
export function textColumn(
  maxLength: number,
  example: string,
  behaviour: Pick<FieldTypeDescriptor, 'check' | 'parseDefault' | 'schema' | 'fake' | 'invalid'>,
  extra: Partial<TypeInfo> = {},
): FieldTypeDescriptor {
  return {
    family: 'text',
    column: { method: 'string', args: [maxLength] },
    tsType: 'string',
    cast: 'string',
    maxLength,
    searchable: true,
    sortable: true,
    rules: LENGTH_RULES,
    example,
    fromQuery: asText,
    ...behaviour,
    ...extra,
  };
}

/** The check of free text: any string without NUL. */
export function plainTextCheck(field: FieldDefinition): ValueCheck {
  const { name } = field;
  // NUL is refused everywhere (PostgreSQL cannot store it; a C-string consumer would cut the text at it).
  return (value) =>
    typeof value !== 'string'
      ? problem(`${name} must be a string`)
      : value.includes('\u0000')
        ? problem(`${name} must not contain NUL characters`)
        : ok(value);
}
