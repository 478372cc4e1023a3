// The field types' descriptors (runtime/fields/types/): each file is registered, and each descriptor
// agrees with itself — its example passes its check, its schema and its own `default:`; what it
// says it refuses is refused in a body and in a filter; its fake values fit its schema. A new type
// is a file there; these hold it to the same contract as the 22 before it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { faker } from '@faker-js/faker';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import test from 'ava';
import { fakeValue } from '../../../runtime/fields/fake.js';
import { parseListQuery } from '../../../runtime/fields/query.js';
import {
  FIELD_TYPES,
  parseFieldSpec,
  RULE_NAMES,
  TYPES,
  type FieldDefinition,
  type FieldType,
} from '../../../runtime/fields/spec.js';
import { resourceBody } from '../../../runtime/fields/validation.js';
import { fieldSchema } from '../../../runtime/openapi/document.js';
import { ValidationException } from '../../../runtime/utils/exceptions.js';
import { PACKAGE_ROOT } from '../../../lib/package.js';

const TYPES_DIR = join(PACKAGE_ROOT, 'runtime', 'fields', 'types');
/** The folder's files that are not types. */
const SUPPORT = new Set(['descriptor.ts', 'fake-support.ts', 'index.ts']);

const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormatsModule as unknown as (instance: Ajv2020) => void)(ajv);
const fitsSchema = (schema: Record<string, unknown>, value: unknown) => {
  const validate = ajv.compile(schema);
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
};

/** What the body validation says about `value` as field x's, or undefined when it is accepted. */
async function bodyProblems(field: FieldDefinition, value: unknown): Promise<string[] | undefined> {
  try {
    await resourceBody([field]).parse({ [field.name]: value }, 'create');
    return undefined;
  } catch (error) {
    if (error instanceof ValidationException)
      return error.errors?.[field.name] ?? Object.values(error.errors ?? {}).flat();
    throw error;
  }
}

function filterProblems(field: FieldDefinition, text: string): string[] | undefined {
  try {
    parseListQuery({ [`filter[${field.name}]`]: text }, [field], { table: 'things' });
    return undefined;
  } catch (error) {
    if (error instanceof ValidationException) return Object.values(error.errors ?? {}).flat();
    throw error;
  }
}

/** The example as a spec's default is written: a string's text without its quotes, anything else as JSON. */
const asSpecText = (example: string) => {
  const value = JSON.parse(example) as unknown;
  return typeof value === 'string' ? value : example;
};

test('every file in fields/types/ is a registered type, and every type comes from one', async (t) => {
  const files = readdirSync(TYPES_DIR).filter((file) => file.endsWith('.ts') && !SUPPORT.has(file));
  const registered = new Set<unknown>(Object.values(TYPES));
  const found = new Set<unknown>();
  for (const file of files) {
    const module = (await import(join(TYPES_DIR, file))) as Record<string, unknown>;
    const descriptors = Object.entries(module).filter(
      ([, value]) => typeof value === 'object' && value !== null && 'check' in value,
    );
    t.true(descriptors.length > 0, `${file} defines no type`);
    for (const [name, descriptor] of descriptors) {
      t.true(registered.has(descriptor), `${file}: ${name} is not in TYPES (types/index.ts)`);
      t.is(TYPES[name as FieldType], descriptor as never, `${file}: ${name} is registered under another name`);
      found.add(descriptor);
    }
  }
  t.is(found.size, registered.size, 'a type in TYPES comes from no file of fields/types/');
  t.deepEqual([...FIELD_TYPES], Object.keys(TYPES));
});

for (const type of FIELD_TYPES) {
  test(`${type}: its example, default, refusals, filter and fake values agree with its check and schema`, async (t) => {
    const info = TYPES[type];
    t.true(
      info.rules.every((rule) => (RULE_NAMES as readonly string[]).includes(rule)),
      'a rule the language does not know',
    );
    for (const rule of ['required', 'nullable', 'default'] as const)
      t.true(info.rules.includes(rule), `every type takes ${rule}`);
    const field = parseFieldSpec(`x:${type}`);
    const example = JSON.parse(info.example) as unknown;

    t.is(await bodyProblems(field, example), undefined, `the example ${info.example} is refused`);
    t.deepEqual(fitsSchema(fieldSchema(field, 'input'), example), [], 'the example does not fit the schema');
    // The example as a default: the parser types it, and the body check takes what it gives.
    const withDefault = parseFieldSpec(`x:${type}:default:${asSpecText(info.example)}`);
    t.not(withDefault.rules.default, undefined);
    t.is(
      await bodyProblems(field, withDefault.rules.default),
      undefined,
      `the default ${JSON.stringify(withDefault.rules.default)} is refused`,
    );

    for (const value of info.invalid.body) {
      const problems = await bodyProblems(field, value);
      t.truthy(problems, `${JSON.stringify(value)} is accepted`);
      t.true(
        problems!.every((problem) => problem.startsWith('x ')),
        `the message names the field: ${problems!.join('; ')}`,
      );
    }

    if (info.sortable) {
      const text = typeof example === 'string' ? example : JSON.stringify(example);
      t.is(filterProblems(field, text), undefined, `filter[x]=${text} is refused`);
      if (info.invalid.filter !== undefined)
        t.truthy(filterProblems(field, info.invalid.filter), `filter[x]=${info.invalid.filter} is accepted`);
    } else {
      t.is(info.invalid.filter, undefined, 'a filter value for a type that cannot be filtered');
    }

    for (let sequence = 1; sequence <= 10; sequence++) {
      const value = fakeValue(field, faker, sequence * 104_729);
      t.deepEqual(fitsSchema(fieldSchema(field, 'input'), value), [], `fake ${JSON.stringify(value)}`);
    }
  });
}
