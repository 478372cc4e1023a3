// text: long text (a text column), searched but not sorted or filtered.
import { asText, BASE_RULES, ok, plainTextCheck, type FieldTypeDescriptor } from './descriptor.js';
import { fitLength } from './fake-support.js';

const MAX_LENGTH = 65_535;

export const text: FieldTypeDescriptor = {
  family: 'text',
  column: { method: 'text', args: [], noDefault: true },
  tsType: 'string',
  cast: 'string',
  maxLength: MAX_LENGTH,
  searchable: true,
  sortable: false,
  rules: [...BASE_RULES, 'max', 'min'],
  example: '"A long text"',
  check: plainTextCheck,
  parseDefault: (raw) => ok(raw),
  fromQuery: asText,
  schema: () => ({ type: 'string' }),
  fake: (field, faker) => fitLength(faker.lorem.paragraph(), field, MAX_LENGTH),
  invalid: { body: [42, ['a']] },
};
