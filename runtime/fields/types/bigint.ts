// bigint: a 64-bit integer, exact: a string of digits in JSON (a JSON number loses digits past 2^53).
import { normaliseBigint } from '../formats.js';
import { asText, NUMBER_RULES, ok, problem, type FieldTypeDescriptor } from './descriptor.js';
import { allowedRange, typical } from './fake-support.js';

export const bigint: FieldTypeDescriptor = {
  family: 'integer',
  column: { method: 'bigInteger', args: [] },
  tsType: 'string',
  cast: 'bigint',
  searchable: false,
  sortable: true,
  rules: [...NUMBER_RULES, 'foreign'],
  example: '"9007199254740993"',
  check: ({ name }) => {
    return (value) => {
      const normalised = typeof value === 'number' || typeof value === 'string' ? normaliseBigint(value) : undefined;
      if (normalised !== undefined) return ok(normalised);
      if (typeof value === 'number' && Number.isInteger(value))
        return problem(`${name} is too large to send as a JSON number exactly; send it as a string of digits`);
      return problem(`${name} must be a 64-bit integer (a JSON integer, or a string of digits)`);
    };
  },
  parseDefault(raw) {
    const value = normaliseBigint(raw);
    return value === undefined ? problem('is not a 64-bit integer') : ok(value);
  },
  fromQuery: asText,
  schema: () => ({ type: 'string', pattern: '^-?\\d+$' }),
  fake(field, faker, sequence) {
    const bounds = typical(allowedRange(field, undefined, 1));
    return String(
      field.rules.unique
        ? Math.ceil(bounds.low) + sequence
        : faker.number.int({ min: Math.ceil(bounds.low), max: Math.floor(bounds.high) }),
    );
  },
  invalid: { body: [1.5, 'abc', 2 ** 60], filter: 'abc' },
};
