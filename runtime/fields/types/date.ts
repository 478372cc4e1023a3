// date: a calendar date YYYY-MM-DD, no time and no zone.
import { isCalendarDate } from '../formats.js';
import { asText, formatDefault, KEYED_RULES, stringCheck, type FieldTypeDescriptor } from './descriptor.js';
import { pad } from './fake-support.js';

export const date: FieldTypeDescriptor = {
  family: 'temporal',
  column: { method: 'date', args: [] },
  tsType: 'string',
  cast: 'date',
  searchable: false,
  sortable: true,
  rules: KEYED_RULES,
  example: '"2026-11-27"',
  check: ({ name }) => stringCheck(name, isCalendarDate, 'a calendar date YYYY-MM-DD'),
  parseDefault: formatDefault(isCalendarDate, 'is not a calendar date YYYY-MM-DD'),
  fromQuery: asText,
  schema: () => ({ type: 'string', format: 'date' }),
  fake(field, faker, sequence) {
    const value = field.rules.unique
      ? new Date(Date.UTC(2000, 0, 1) + sequence * 86_400_000)
      : faker.date.past({ years: 5 });
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  },
  invalid: { body: ['2026-02-30', '2026/01/01', 20260101], filter: '2026-02-30' },
};
