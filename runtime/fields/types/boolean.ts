// boolean: true or false (JSON booleans only: "true" and 1 are refused).
import { BASE_RULES, ok, problem, type FieldTypeDescriptor } from './descriptor.js';

export const boolean: FieldTypeDescriptor = {
  family: 'boolean',
  column: { method: 'boolean', args: [] },
  tsType: 'boolean',
  cast: 'boolean',
  searchable: false,
  sortable: true,
  rules: [...BASE_RULES, 'index'],
  example: 'true',
  check: ({ name }) => {
    return (value) => (typeof value === 'boolean' ? ok(value) : problem(`${name} must be true or false`));
  },
  parseDefault(raw) {
    if (['true', '1'].includes(raw.toLowerCase())) return ok(true);
    if (['false', '0'].includes(raw.toLowerCase())) return ok(false);
    return problem('is not a boolean (true or false)');
  },
  fromQuery: (raw) => (raw === 'true' ? true : raw === 'false' ? false : raw),
  schema: () => ({ type: 'boolean' }),
  fake: (_field, faker) => faker.datatype.boolean(),
  invalid: { body: ['true', 1, 'yes'], filter: 'yes' },
};
