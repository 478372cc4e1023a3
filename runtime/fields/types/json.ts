// json: a JSON object or array (jsonb on PostgreSQL, json on MySQL, text on SQLite); not sortable.
import { asText, BASE_RULES, ok, problem, type FieldTypeDescriptor } from './descriptor.js';

export const json: FieldTypeDescriptor = {
  family: 'json',
  column: { method: 'jsonb', args: [], noDefault: true },
  tsType: 'Record<string, unknown> | unknown[]',
  cast: 'json',
  searchable: false,
  sortable: false,
  rules: BASE_RULES,
  example: '{"key": "value"}',
  check: ({ name }) => {
    return (value) =>
      typeof value === 'object' && value !== null ? ok(value) : problem(`${name} must be a JSON object or array`);
  },
  parseDefault(raw) {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return problem('is not JSON');
    }
    return typeof value === 'object' && value !== null ? ok(value) : problem('must be a JSON object or array');
  },
  fromQuery: asText,
  // Any JSON object or array.
  schema: () => ({ type: ['object', 'array'], additionalProperties: true, items: {} }),
  fake: (_field, faker) => ({
    label: faker.lorem.word(),
    count: faker.number.int({ min: 0, max: 100 }),
    tags: [faker.lorem.word()],
  }),
  invalid: { body: ['text', 42, true] },
};
