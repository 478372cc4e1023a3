// integer: a 32-bit integer, a JSON number (the same range on every database).
import { INT32 } from '../formats.js';
import { NUMBER_RULES, ok, problem, type FieldTypeDescriptor } from './descriptor.js';
import { allowedRange, typical } from './fake-support.js';

const WHOLE = /^-?\d+$/;

export const integer: FieldTypeDescriptor = {
  family: 'integer',
  column: { method: 'integer', args: [] },
  tsType: 'number',
  cast: 'integer',
  searchable: false,
  sortable: true,
  rules: [...NUMBER_RULES, 'foreign'],
  example: '42',
  check: ({ name }) => {
    return (value) =>
      typeof value === 'number' && Number.isInteger(value) && value >= INT32.min && value <= INT32.max
        ? ok(value)
        : problem(`${name} must be an integer between ${INT32.min} and ${INT32.max}`);
  },
  parseDefault: (raw) =>
    !WHOLE.test(raw) || Number(raw) < INT32.min || Number(raw) > INT32.max
      ? problem(`is not a 32-bit integer (e.g. ${integer.example})`)
      : ok(Number(raw)),
  fromQuery: (raw) => (WHOLE.test(raw) ? Number(raw) : raw),
  schema: () => ({ type: 'integer' }),
  fake(field, faker, sequence) {
    const allowed = allowedRange(field, undefined, 1);
    const bounds = typical(allowed);
    const low = Math.ceil(bounds.low);
    return field.rules.unique
      ? Math.min(low + sequence, Math.floor(allowed.high))
      : faker.number.int({ min: low, max: Math.max(low, Math.floor(bounds.high)) });
  },
  invalid: { body: [1.5, '3', 2 ** 31, true], filter: 'abc' },
};
