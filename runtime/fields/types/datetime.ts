// datetime: an instant, ISO 8601 with a time zone; stored and returned in UTC with milliseconds.
import { parseDateTime } from '../formats.js';
import { asText, KEYED_RULES, ok, problem, stringCheck, type FieldTypeDescriptor } from './descriptor.js';

export const datetime: FieldTypeDescriptor = {
  family: 'temporal',
  column: { method: 'timestamp', args: [], options: '{ useTz: true, precision: 3 }' },
  tsType: 'string',
  cast: 'datetime',
  searchable: false,
  sortable: true,
  rules: KEYED_RULES,
  example: '"2026-11-27T10:00:00.000Z"',
  check: ({ name }) =>
    stringCheck(
      name,
      (value) => parseDateTime(value) !== undefined,
      'an ISO 8601 date-time with a time zone (e.g. 2026-11-27T10:00:00Z)',
      (value) => parseDateTime(value),
    ),
  parseDefault(raw) {
    if (raw.toLowerCase() === 'now') return ok('now');
    const value = parseDateTime(raw);
    return value
      ? ok(value.toISOString())
      : problem('is not an ISO 8601 date-time with a zone (e.g. 2026-11-27T10:00:00Z) or "now"');
  },
  fromQuery: asText,
  schema: () => ({ type: 'string', format: 'date-time' }),
  fake(field, faker, sequence) {
    const date = faker.date.recent({ days: 30 });
    date.setUTCMilliseconds(field.rules.unique ? sequence % 1000 : date.getUTCMilliseconds());
    return date.toISOString();
  },
  invalid: { body: ['2026-11-27T10:00:00', 'tomorrow', '2026-13-01T00:00:00Z'], filter: 'tomorrow' },
};
