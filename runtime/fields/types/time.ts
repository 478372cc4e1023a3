// time: a time of day HH:MM or HH:MM:SS, returned as HH:MM:SS.
import { FORMAT_PATTERNS, normaliseTime } from '../formats.js';
import { asText, KEYED_RULES, ok, problem, stringCheck, type FieldTypeDescriptor } from './descriptor.js';
import { pad } from './fake-support.js';

export const time: FieldTypeDescriptor = {
  family: 'temporal',
  column: { method: 'time', args: [] },
  tsType: 'string',
  cast: 'time',
  searchable: false,
  sortable: true,
  rules: KEYED_RULES,
  example: '"10:30:00"',
  check: ({ name }) =>
    stringCheck(
      name,
      (value) => normaliseTime(value) !== undefined,
      'a time HH:MM or HH:MM:SS',
      (value) => normaliseTime(value),
    ),
  parseDefault(raw) {
    const value = normaliseTime(raw);
    return value ? ok(value) : problem('is not a time HH:MM or HH:MM:SS');
  },
  fromQuery: asText,
  schema: () => ({ type: 'string', pattern: FORMAT_PATTERNS.time }),
  fake(field, faker, sequence) {
    const seconds = field.rules.unique ? sequence % 86_400 : faker.number.int({ min: 0, max: 86_399 });
    return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  },
  invalid: { body: ['24:00', '9am'], filter: '25:00' },
};
