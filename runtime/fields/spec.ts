// The field language `name:type:rules`: the rules, and the parser that checks a spec completely
// (unknown type or rule, a rule that makes no sense for its type, contradictions, a default that
// fails its own type) before anything is generated. The types are in fields/types/, one file each.
// Pure: the generator compiles and uses this same file.
import { FastpyError } from '../utils/errors.js';
import { characterCount, compareDecimals, INT32, INT64, normaliseDecimal } from './formats.js';
import type { Cast } from './types/descriptor.js';
import { FIELD_TYPES, TYPES, type FieldType } from './types/index.js';

export { FIELD_TYPES, TYPES, type FieldType };
export type * from './types/descriptor.js';

export const RULE_NAMES = [
  'required',
  'nullable',
  'unique',
  'index',
  'max',
  'min',
  'gte',
  'lte',
  'gt',
  'lt',
  'foreign',
  'default',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];
/** Spellings accepted for a rule (the seed's `ge`/`le`). */
const RULE_ALIASES: Record<string, RuleName> = { ge: 'gte', le: 'lte' };

export interface ForeignKey {
  table: string;
  column: string;
}

export interface FieldRules {
  required?: true;
  nullable?: true;
  unique?: true;
  index?: true;
  /** Length (text types) or value (number types). */
  max?: number;
  min?: number;
  gte?: number;
  lte?: number;
  gt?: number;
  lt?: number;
  foreign?: ForeignKey;
  /** Typed default: string, number, boolean, a JSON object/array, or null. `now` for datetime. */
  default?: unknown;
}

export interface FieldDefinition {
  name: string;
  type: FieldType;
  rules: FieldRules;
}

/** Columns every model has; no field may use their names. */
export const RESERVED_FIELD_NAMES = ['id', 'created_at', 'updated_at', 'deleted_at'] as const;
export const MAX_FIELD_NAME_LENGTH = 63;
/** Longest `string` column that indexes on every database (utf8mb4 on MySQL); use `text` beyond. */
export const MAX_STRING_LENGTH = 16_383;
/** Longest text column an index can cover on MySQL/MariaDB with utf8mb4 (3072 bytes). */
export const MAX_INDEXED_LENGTH = 768;

/** A spec that cannot be used, with every problem found (each names its field). */
export class FieldSpecError extends FastpyError {
  constructor(readonly problems: string[]) {
    super(
      'E_FIELD_SPEC',
      problems.length === 1
        ? problems[0]!
        : `Invalid field specs:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
}

/** Edit distance where swapping two neighbouring letters is one edit (`titel` → `title`), as typos go. */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/** The closest known word, when it is close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

const didYouMean = (word: string, candidates: readonly string[]) => {
  const suggestion = closest(word, candidates);
  return suggestion ? ` (did you mean "${suggestion}"?)` : '';
};

/** Why a field name cannot be used, or undefined. */
export function fieldNameProblem(name: string): string | undefined {
  if (!/^[a-z][a-z0-9_]*$/.test(name))
    return 'field names are snake_case: lowercase letters, digits and _, starting with a letter (e.g. published_at)';
  if (name.length > MAX_FIELD_NAME_LENGTH)
    return `field names are at most ${MAX_FIELD_NAME_LENGTH} characters (got ${name.length})`;
  if ((RESERVED_FIELD_NAMES as readonly string[]).includes(name))
    return `"${name}" is reserved: every model already has ${RESERVED_FIELD_NAMES.join(', ')}`;
  return undefined;
}

/** Splits the rules part on commas, keeping a JSON default (which may contain commas) whole. */
function splitRules(text: string): string[] {
  const parts: string[] = [];
  for (const part of text.split(',')) {
    const previous = parts.at(-1);
    const inJsonDefault =
      previous !== undefined &&
      /^default:\s*[[{"]/.test(previous) &&
      !parsesAsJson(previous.slice(previous.indexOf(':') + 1));
    if (inJsonDefault) parts[parts.length - 1] = `${previous},${part}`;
    else parts.push(part);
  }
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function numberRule(value: string | undefined, type: FieldType, integerOnly: boolean): number | string {
  if (value === undefined || value.trim() === '') return 'needs a number (e.g. max:100)';
  const number = Number(value);
  if (!/^[+-]?\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(number)) return `needs a number, got "${value}"`;
  if (integerOnly && !Number.isInteger(number)) return `needs a whole number for ${type}, got "${value}"`;
  if (!Number.isSafeInteger(Math.trunc(number))) return `"${value}" is too large to use as a bound`;
  return number;
}

/** A typed default for the type, or a problem. */
function parseDefault(raw: string, field: FieldDefinition): { value: unknown } | { problem: string } {
  if (raw === 'null')
    return field.rules.nullable
      ? { value: null }
      : { problem: `default "${raw}" is null, but the field is not nullable (add the nullable rule)` };
  const parsed = TYPES[field.type].parseDefault(raw, field);
  return 'problem' in parsed ? { problem: `default "${raw}" ${parsed.problem}` } : parsed;
}

/** Rules that cannot go together, and why. */
const CONTRADICTIONS: ReadonlyArray<readonly [RuleName, RuleName, string]> = [
  ['required', 'nullable', '"required" and "nullable" contradict each other: a required field must have a value'],
  [
    'required',
    'default',
    '"required" and "default" contradict each other: a required field is always sent, so the default would never apply',
  ],
];

/**
 * Why a choice of rules cannot go together (before their values are known: the field wizard checks
 * its rule list with this).
 *
 * @example
 * contradictions(['required', 'nullable']) // ['"required" and "nullable" contradict each other: …']
 */
export function contradictions(rules: readonly RuleName[]): string[] {
  return CONTRADICTIONS.filter(([a, b]) => rules.includes(a) && rules.includes(b)).map(([, , why]) => why);
}

/** Problems with the rules of one parsed field (contradictions, bounds, defaults). */
function checkRules(field: FieldDefinition): string[] {
  const problems: string[] = [];
  const { rules, type } = field;
  const info = TYPES[type];
  problems.push(...contradictions(RULE_NAMES.filter((rule) => rules[rule] !== undefined)));
  if (info.family === 'text') {
    for (const rule of ['max', 'min'] as const) {
      const value = rules[rule];
      if (value !== undefined && (!Number.isInteger(value) || value < (rule === 'max' ? 1 : 0)))
        problems.push(`${rule}:${value} must be a whole number of characters${rule === 'max' ? ' ≥ 1' : ''}`);
    }
    if (
      rules.max !== undefined &&
      info.maxLength !== undefined &&
      rules.max > (type === 'string' ? MAX_STRING_LENGTH : info.maxLength)
    ) {
      problems.push(
        type === 'string'
          ? `max:${rules.max} is longer than a string column holds everywhere (${MAX_STRING_LENGTH}); use the text type`
          : `max:${rules.max} is longer than a ${type} holds (${info.maxLength})`,
      );
    }
  }
  if (
    (rules.unique || rules.index) &&
    info.family === 'text' &&
    (rules.max ?? info.maxLength ?? 0) > MAX_INDEXED_LENGTH
  ) {
    problems.push(
      `an index (unique/index) on more than ${MAX_INDEXED_LENGTH} characters is refused by MySQL; add max:${MAX_INDEXED_LENGTH} or less`,
    );
  }
  if (info.family === 'integer' || info.family === 'float' || info.family === 'decimal') {
    const range =
      type === 'integer'
        ? { min: INT32.min, max: INT32.max }
        : type === 'bigint'
          ? { min: Number(INT64.min), max: Number(INT64.max) }
          : info.decimal?.min !== undefined
            ? { min: Number(info.decimal.min), max: Number(info.decimal.max) }
            : undefined;
    for (const rule of ['max', 'min', 'gte', 'lte', 'gt', 'lt'] as const) {
      const value = rules[rule];
      if (value === undefined) continue;
      if (range && (value < range.min || value > range.max))
        problems.push(`${rule}:${value} is outside what a ${type} holds (${range.min} to ${range.max})`);
      if (info.decimal && normaliseDecimal(String(value), info.decimal) === undefined)
        problems.push(
          `${rule}:${value} does not fit a ${type} (${info.decimal.integerDigits} digits before the point, ${info.decimal.scale} after)`,
        );
    }
  }
  const lower = [rules.min, rules.gte, rules.gt].filter((value): value is number => value !== undefined);
  const upper = [rules.max, rules.lte, rules.lt].filter((value): value is number => value !== undefined);
  if (lower.length > 0 && upper.length > 0) {
    const low = Math.max(...lower);
    const high = Math.min(...upper);
    const strict = (rules.gt !== undefined && rules.gt === low) || (rules.lt !== undefined && rules.lt === high);
    if (low > high || (strict && low >= high))
      problems.push(`the bounds leave no valid value (lower ${low}, upper ${high})`);
  }
  if (rules.default !== undefined && rules.default !== null && rules.default !== 'now') {
    const value = rules.default;
    if (typeof value === 'string' && info.family === 'text') {
      if (rules.max !== undefined && characterCount(value) > rules.max)
        problems.push(`default "${value}" is longer than max:${rules.max}`);
      if (rules.min !== undefined && characterCount(value) < rules.min)
        problems.push(`default "${value}" is shorter than min:${rules.min}`);
      if (type === 'string' && rules.max === undefined && characterCount(value) > 255)
        problems.push(`default is longer than 255 characters (add max:N)`);
    }
    if (info.family === 'integer' || info.family === 'float' || info.family === 'decimal') {
      const fits = (bound: number, ok: (comparison: number) => boolean) =>
        ok(compareDecimals(String(value), String(bound)));
      const checks: Array<[number | undefined, (c: number) => boolean, string]> = [
        [rules.min, (c) => c >= 0, 'min'],
        [rules.gte, (c) => c >= 0, 'gte'],
        [rules.gt, (c) => c > 0, 'gt'],
        [rules.max, (c) => c <= 0, 'max'],
        [rules.lte, (c) => c <= 0, 'lte'],
        [rules.lt, (c) => c < 0, 'lt'],
      ];
      for (const [bound, ok, name] of checks) {
        if (bound !== undefined && !fits(bound, ok)) problems.push(`default ${String(value)} breaks ${name}:${bound}`);
      }
      if (
        info.decimal?.min !== undefined &&
        (compareDecimals(String(value), info.decimal.min) < 0 || compareDecimals(String(value), info.decimal.max!) > 0)
      ) {
        problems.push(`default ${String(value)} is outside ${info.decimal.min} to ${info.decimal.max}`);
      }
    }
  }
  return problems;
}

/**
 * Parses one `name:type:rules` spec. Throws a FieldSpecError naming the field and each problem.
 *
 * @example
 * parseFieldSpec('price:decimal:required,gte:0')
 * // { name: 'price', type: 'decimal', rules: { required: true, gte: 0 } }
 * parseFieldSpec('starts_at:time:default:12:30')
 * // { name: 'starts_at', type: 'time', rules: { default: '12:30:00' } }
 */
export function parseFieldSpec(spec: string): FieldDefinition {
  const problems: string[] = [];
  const [rawName = '', rawType = '', ...rest] = spec.trim().split(':');
  const name = rawName.trim();
  const label = name ? `field "${name}"` : `field spec "${spec}"`;
  const fail = (problem: string) => problems.push(`${label}: ${problem}`);
  const nameProblem = fieldNameProblem(name);
  if (nameProblem) fail(nameProblem);
  const typeName = rawType.trim().toLowerCase();
  if (typeName === '') fail(`no type given; write name:type[:rules] with a type among ${FIELD_TYPES.join(', ')}`);
  else if (!(FIELD_TYPES as readonly string[]).includes(typeName))
    fail(`unknown type "${rawType}"${didYouMean(typeName, FIELD_TYPES)}; types: ${FIELD_TYPES.join(', ')}`);
  if (problems.length > 0) throw new FieldSpecError(problems);

  const type = typeName as FieldType;
  const info = TYPES[type];
  const field: FieldDefinition = { name, type, rules: {} };
  const seen = new Set<RuleName>();
  let rawDefault: string | undefined;
  for (const part of splitRules(rest.join(':'))) {
    const colon = part.indexOf(':');
    const given = (colon === -1 ? part : part.slice(0, colon)).trim().toLowerCase();
    const value = colon === -1 ? undefined : part.slice(colon + 1);
    const rule = RULE_ALIASES[given] ?? (given as RuleName);
    if (!(RULE_NAMES as readonly string[]).includes(rule)) {
      fail(
        `unknown rule "${given}"${didYouMean(given, [...RULE_NAMES, 'ge', 'le'])}; rules: ${RULE_NAMES.join(', ')} (ge/le for gte/lte)`,
      );
      continue;
    }
    if (seen.has(rule)) {
      fail(`rule "${rule}" is given twice`);
      continue;
    }
    seen.add(rule);
    if (!info.rules.includes(rule)) {
      fail(`rule "${rule}" does not apply to ${type} (${type} takes: ${info.rules.join(', ')})`);
      continue;
    }
    switch (rule) {
      case 'required':
      case 'nullable':
      case 'unique':
      case 'index':
        if (value !== undefined) fail(`rule "${rule}" takes no value (got "${rule}:${value}")`);
        else field.rules[rule] = true;
        break;
      case 'max':
      case 'min':
      case 'gte':
      case 'lte':
      case 'gt':
      case 'lt': {
        const number = numberRule(value, type, info.family === 'text' || info.family === 'integer');
        if (typeof number === 'string') fail(`rule "${given}" ${number}`);
        else field.rules[rule] = number;
        break;
      }
      case 'foreign': {
        const match = /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$/.exec(value?.trim() ?? '');
        if (!match)
          fail(`rule "foreign" needs table.column in snake_case (e.g. foreign:users.id), got "${value ?? ''}"`);
        else field.rules.foreign = { table: match[1]!, column: match[2]! };
        break;
      }
      case 'default':
        if (value === undefined) fail('rule "default" needs a value (e.g. default:draft)');
        else rawDefault = value;
        break;
    }
  }
  if (rawDefault !== undefined) {
    const parsed = parseDefault(rawDefault, field);
    if ('problem' in parsed) fail(parsed.problem);
    else field.rules.default = parsed.value;
  }
  for (const problem of checkRules(field)) fail(problem);
  if (problems.length > 0) throw new FieldSpecError(problems);
  return field;
}

/**
 * The column an owned resource keeps its owner in (Model.owner), as a field: not one of the
 * resource's fields (no body writes it, the token does), but a column of its table — indexed, as
 * every request filters by it — that lists filter and sort by (`filter[user_id]=7`, for admins).
 */
export function ownerField(name: string): FieldDefinition {
  return parseFieldSpec(`${name}:integer:required,index,foreign:users.id`);
}

/** A resource's fields and, for an owned one, its owner's column: what its rows hold and lists filter by. */
export function withOwner(fields: readonly FieldDefinition[], owner: string | undefined): readonly FieldDefinition[] {
  return owner === undefined ? fields : [...fields, ownerField(owner)];
}

/**
 * Parses every spec, collecting the problems of all of them (and duplicate names) into one error.
 *
 * @example
 * parseFieldSpecs(['title:string:required,max:200', 'body:text'])
 */
export function parseFieldSpecs(specs: readonly string[]): FieldDefinition[] {
  const problems: string[] = [];
  const fields: FieldDefinition[] = [];
  for (const spec of specs) {
    try {
      fields.push(parseFieldSpec(spec));
    } catch (error) {
      if (error instanceof FieldSpecError) problems.push(...error.problems);
      else throw error;
    }
  }
  const names = new Map<string, number>();
  for (const field of fields) names.set(field.name, (names.get(field.name) ?? 0) + 1);
  for (const [name, count] of names) if (count > 1) problems.push(`field "${name}": defined ${count} times`);
  if (problems.length > 0) throw new FieldSpecError(problems);
  return fields;
}

/**
 * A number in the digits-and-point form bounds are written in (`1e-7` is `0.0000001`).
 *
 * @example
 * plainNumber(1e21) // '1000000000000000000000'
 */
export function plainNumber(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, rest = '', exponentText] = match;
  const digits = `${lead}${rest}`;
  const point = 1 + Number(exponentText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A field written back as a spec (the inverse of parseFieldSpec, for messages and .yo-rc.json). */
export function formatFieldSpec(field: FieldDefinition): string {
  const rules = RULE_NAMES.filter((rule) => field.rules[rule] !== undefined).map((rule) => {
    const value = ruleValueText(rule, field.rules[rule]);
    return value === undefined ? rule : `${rule}:${value}`;
  });
  return [field.name, field.type, ...(rules.length > 0 ? [rules.join(',')] : [])].join(':');
}

/**
 * A rule's value as a spec writes it (after `rule:`), or undefined for a rule that takes none.
 *
 * @example
 * ruleValueText('foreign', { table: 'users', column: 'id' }) // 'users.id'
 * ruleValueText('default', true) // 'true'
 */
export function ruleValueText(rule: RuleName, value: unknown): string | undefined {
  switch (rule) {
    case 'required':
    case 'nullable':
    case 'unique':
    case 'index':
      return undefined;
    case 'foreign':
      return `${(value as ForeignKey).table}.${(value as ForeignKey).column}`;
    case 'default':
      // A default of true is a value like any other (`default:true`), not a bare flag rule.
      return typeof value === 'object' && value !== null
        ? JSON.stringify(value)
        : typeof value === 'number'
          ? plainNumber(value)
          : String(value);
    default:
      return plainNumber(value as number);
  }
}

/** Whether a create body must send the field: required, with no default to fill it. */
export function mustBeSent(field: FieldDefinition): boolean {
  return field.rules.required === true && field.rules.default === undefined;
}

/** The model casts of a resource's fields (runtime/models/base-model.ts). */
export function fieldCasts(fields: readonly FieldDefinition[]): Record<string, Cast> {
  return Object.fromEntries(fields.map((field) => [field.name, TYPES[field.type].cast]));
}
