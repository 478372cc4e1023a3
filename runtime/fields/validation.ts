// Request-body validation derived from a resource's field definitions (yup): what each type
// accepts, the rules, required/nullable/optional, and the normalised value written to the database.
import * as yup from 'yup';
import { MAX_LINKS } from '../models/relation.js';
import { fieldErrors, ValidationException } from '../utils/exceptions.js';
import { characterCount, compareDecimals } from './formats.js';
import { TYPES, type FieldDefinition, type ValueCheck } from './spec.js';
import { addYupErrors } from '../utils/validation.js';

/** create: POST; replace: PUT (a full record); patch: PATCH (any subset). */
export type BodyMode = 'create' | 'replace' | 'patch';

/** Columns a client may never write. */
export const GUARDED_FIELDS = ['id', 'created_at', 'updated_at', 'deleted_at'] as const;

type Check = ValueCheck;

const ok = (value: unknown) => ({ value });
const problem = (text: string) => ({ problem: text });

/** The type check of one field: does the JSON value have the right type and format, and what is stored. */
const typeCheck = (field: FieldDefinition): Check => TYPES[field.type].check(field);

/** Checks of the rules that bound a value (length or size). */
function ruleChecks(field: FieldDefinition): Check[] {
  const { name, type, rules } = field;
  const info = TYPES[type];
  const checks: Check[] = [];
  if (info.family === 'text') {
    // required means a value, as Laravel's required: blank text is no value.
    if (rules.required)
      checks.push((value) => (String(value).trim() === '' ? problem(`${name} must not be blank`) : ok(value)));
    const max = rules.max ?? info.maxLength;
    // Characters, as the databases count them (an emoji is one, not two UTF-16 units).
    if (max !== undefined)
      checks.push((value) =>
        characterCount(String(value)) <= max ? ok(value) : problem(`${name} must be at most ${max} characters`),
      );
    if (rules.min !== undefined)
      checks.push((value) =>
        characterCount(String(value)) >= rules.min!
          ? ok(value)
          : problem(`${name} must be at least ${rules.min} characters`),
      );
    return checks;
  }
  if (info.family !== 'integer' && info.family !== 'float' && info.family !== 'decimal') return checks;
  // Floats compare as numbers (5e-324 has no exact digits form); integers and decimals exactly, as digit strings.
  const compare =
    info.family === 'float'
      ? (value: unknown, limit: number | string) => Math.sign(Number(value) - Number(limit))
      : (value: unknown, limit: number | string) => compareDecimals(String(value), String(limit));
  const bound = (limit: number | string | undefined, accept: (comparison: number) => boolean, words: string) => {
    if (limit === undefined) return;
    checks.push((value) => (accept(compare(value, limit)) ? ok(value) : problem(`${name} must be ${words} ${limit}`)));
  };
  bound(rules.min, (c) => c >= 0, 'at least');
  bound(rules.gte, (c) => c >= 0, 'greater than or equal to');
  bound(rules.gt, (c) => c > 0, 'greater than');
  bound(rules.max, (c) => c <= 0, 'at most');
  bound(rules.lte, (c) => c <= 0, 'less than or equal to');
  bound(rules.lt, (c) => c < 0, 'less than');
  bound(info.decimal?.min, (c) => c >= 0, 'at least');
  bound(info.decimal?.max, (c) => c <= 0, 'at most');
  return checks;
}

/** The yup schema of one field in a body mode. */
export function fieldSchema(field: FieldDefinition, mode: BodyMode): yup.Schema {
  const checks = [typeCheck(field), ...ruleChecks(field)];
  let schema: yup.Schema = yup.mixed().test({
    name: 'field',
    skipAbsent: true,
    test(value, context) {
      let current: unknown = value;
      for (const check of checks) {
        const result = check(current);
        if ('problem' in result) return context.createError({ message: result.problem });
        current = result.value;
      }
      return true;
    },
  });
  const required = field.rules.required && mode !== 'patch';
  schema = (
    field.rules.nullable
      ? schema.nullable()
      : schema.nonNullable(`${field.name} cannot be null${field.rules.required ? '' : ' (leave it out instead)'}`)
  ) as yup.Schema;
  if (required) schema = schema.defined(`${field.name} is required`) as yup.Schema;
  return schema;
}

/** The normalised value of a field (the checks' output), for a value that passed validation. */
export function normaliseValue(field: FieldDefinition, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  let current: unknown = value;
  for (const check of [typeCheck(field), ...ruleChecks(field)]) {
    const result = check(current);
    if ('problem' in result) throw new TypeError(`normaliseValue(): ${result.problem}`);
    current = result.value;
  }
  return current;
}

/** The value a field takes when omitted on create, or undefined when it has no default. */
export function defaultValue(field: FieldDefinition): unknown {
  const value = field.rules.default;
  if (value === 'now' && field.type === 'datetime') return new Date();
  return value;
}

export interface ResourceBody {
  /** Checks a request body and returns the attributes to write: normalised, defaults applied on create. */
  parse(body: unknown, mode: BodyMode): Promise<Record<string, unknown>>;
}

export interface ResourceBodyOptions {
  /** More columns a body may not write, each with where its value comes from (an owned model's owner: the token). */
  serverSet?: Readonly<Record<string, string>>;
  /** Lists of ids a body may send (`tag_ids`, a belongsToMany's links): arrays of positive integers. */
  links?: readonly string[];
}

/** A body's list of ids, checked: positive integers, at most MAX_LINKS, each once (repeats dropped). */
function linkIds(name: string, value: unknown): { ids: number[] } | { problem: string } {
  if (!Array.isArray(value)) return { problem: `${name} must be a list of ids, e.g. [1, 2]` };
  if (value.length > MAX_LINKS) return { problem: `${name} takes at most ${MAX_LINKS} ids` };
  const bad = value.findIndex((id) => typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1);
  if (bad >= 0) return { problem: `${name}[${bad}] must be a positive integer id, got ${JSON.stringify(value[bad])}` };
  return { ids: [...new Set(value as number[])] };
}

/**
 * Validation for a resource: unknown and guarded fields are refused, every field checked, every
 * problem reported at once (422). `serverSet` names columns the server sets (the owner); `links`
 * the id lists a body may send (`tag_ids`: an array; left out of a create or a replace, none;
 * left out of a patch, unchanged).
 *
 * @example
 * const body = resourceBody(postFields);
 * const attributes = await body.parse(ctx.request.body, 'create');
 * resourceBody(noteFields, { serverSet: { user_id: "set from the signed-in user's token" }, links: ['tag_ids'] });
 */
export function resourceBody(fields: readonly FieldDefinition[], options: ResourceBodyOptions = {}): ResourceBody {
  const serverSet = options.serverSet ?? {};
  const links = options.links ?? [];
  const schemas = {
    create: yup.object(Object.fromEntries(fields.map((field) => [field.name, fieldSchema(field, 'create')]))),
    replace: yup.object(Object.fromEntries(fields.map((field) => [field.name, fieldSchema(field, 'replace')]))),
    patch: yup.object(Object.fromEntries(fields.map((field) => [field.name, fieldSchema(field, 'patch')]))),
  };
  const known = new Set(fields.map((field) => field.name));
  return {
    async parse(body, mode) {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new ValidationException('The request body must be a JSON object', {
          errors: { body: ['must be a JSON object'] },
        });
      }
      const errors = fieldErrors();
      for (const key of Object.keys(body)) {
        if ((GUARDED_FIELDS as readonly string[]).includes(key))
          errors[key] = [`${key} is set by the server and cannot be written`];
        else if (Object.hasOwn(serverSet, key)) errors[key] = [`${key} is ${serverSet[key]} and cannot be written`];
        else if (links.includes(key)) {
          const checked = linkIds(key, (body as Record<string, unknown>)[key]);
          if ('problem' in checked) errors[key] = [checked.problem];
        } else if (!known.has(key)) errors[key] = [`${key} is not a field of this resource`];
      }
      try {
        await schemas[mode].validate(body, { abortEarly: false, strict: true });
      } catch (error) {
        addYupErrors(errors, error);
      }
      if (Object.keys(errors).length > 0) throw new ValidationException('Validation failed', { errors });
      const input = body as Record<string, unknown>;
      const attributes: Record<string, unknown> = {};
      for (const name of links) {
        if (name in input) attributes[name] = (linkIds(name, input[name]) as { ids: number[] }).ids;
        else if (mode !== 'patch') attributes[name] = [];
      }
      for (const field of fields) {
        if (field.name in input) attributes[field.name] = normaliseValue(field, input[field.name]);
        else if (mode === 'create' && field.rules.default !== undefined) attributes[field.name] = defaultValue(field);
        else if (mode === 'replace')
          attributes[field.name] = field.rules.default !== undefined ? defaultValue(field) : null;
      }
      return attributes;
    },
  };
}
