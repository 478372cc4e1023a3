// float: a double-precision number (finite: JSON has no NaN or Infinity).
import { NUMBER_RULES, ok, problem, type FieldTypeDescriptor } from './descriptor.js';
import { allowedRange, typical } from './fake-support.js';

export const float: FieldTypeDescriptor = {
  family: 'float',
  column: { method: 'double', args: [] },
  tsType: 'number',
  cast: 'float',
  searchable: false,
  sortable: true,
  rules: NUMBER_RULES,
  example: '3.14',
  check: ({ name }) => {
    return (value) =>
      typeof value === 'number' && Number.isFinite(value) ? ok(value) : problem(`${name} must be a finite number`);
  },
  parseDefault(raw) {
    const value = Number(raw);
    // -0 is stored (and written back) as 0.
    return raw.trim() === '' || !Number.isFinite(value)
      ? problem('is not a finite number')
      : ok(value === 0 ? 0 : value);
  },
  fromQuery: (raw) => (raw.trim() === '' ? raw : Number(raw)),
  schema: () => ({ type: 'number' }),
  fake(field, faker) {
    const bounds = typical(allowedRange(field, undefined, 1e-6));
    return faker.number.float({ min: bounds.low, max: bounds.high, fractionDigits: 3 });
  },
  invalid: { body: ['1.5', true, null], filter: 'abc' },
};
