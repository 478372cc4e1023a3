// uuid: a UUID (a uuid column on PostgreSQL, char(36) elsewhere), returned in lowercase.
import { isUuid } from '../formats.js';
import { asText, KEYED_RULES, ok, problem, stringCheck, type FieldTypeDescriptor } from './descriptor.js';

export const uuid: FieldTypeDescriptor = {
  family: 'identifier',
  column: { method: 'uuid', args: [] },
  tsType: 'string',
  cast: 'string',
  searchable: false,
  sortable: true,
  rules: [...KEYED_RULES, 'foreign'],
  example: '"3f2b8c1e-9d4a-4e6f-8a7b-1c2d3e4f5a6b"',
  check: ({ name }) => stringCheck(name, isUuid, 'a UUID', (value) => value.toLowerCase()),
  parseDefault: (raw) => (isUuid(raw) ? ok(raw.toLowerCase()) : problem('is not a UUID')),
  fromQuery: asText,
  schema: () => ({ type: 'string', format: 'uuid' }),
  fake: (_field, faker) => faker.string.uuid(),
  invalid: { body: ['123', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'], filter: 'nope' },
};
