// decimal, money and percent: exact decimals (a decimal column), strings in JSON so that no digit is
// lost; each has its precision and scale, percent its range 0–100.
import { normaliseDecimal } from '../formats.js';
import type { FieldDefinition } from '../spec.js';
import { asText, NUMBER_RULES, ok, problem, type FieldTypeDescriptor, type TypeInfo } from './descriptor.js';
import { allowedRange, typical } from './fake-support.js';

type Shape = NonNullable<TypeInfo['decimal']>;

/** The lower bound of a number field's rules, if any. */
export const lowerBound = (rules: FieldDefinition['rules']) =>
  [rules.min, rules.gte, rules.gt].find((bound) => bound !== undefined);

/**
 * The pattern of an exact decimal, as `normaliseDecimal` accepts strings: an optional sign (none
 * when the field cannot be negative), leading zeros, at most `integerDigits` significant digits before
 * the point and `scale` after it (trailing zeros aside).
 */
export function decimalPattern(field: FieldDefinition, shape: Shape): string {
  const low = lowerBound(field.rules) ?? (shape.min !== undefined ? Number(shape.min) : undefined);
  const sign = low !== undefined && Number(low) >= 0 ? '\\+?' : '[+-]?';
  return `^${sign}0*\\d{1,${shape.integerDigits}}(\\.(?=\\d)\\d{0,${shape.scale}}0*)?$`;
}

function decimalType(
  precision: number,
  scale: number,
  example: string,
  invalid: FieldTypeDescriptor['invalid'],
  bounds: { min?: string; max?: string } = {},
): FieldTypeDescriptor {
  const shape: Shape = { integerDigits: precision - scale, scale, ...bounds };
  const digits = `at most ${shape.integerDigits} digits before the point and ${shape.scale} after`;
  return {
    family: 'decimal',
    column: { method: 'decimal', args: [precision, scale] },
    tsType: 'string',
    cast: `decimal:${scale}`,
    decimal: shape,
    searchable: false,
    sortable: true,
    rules: NUMBER_RULES,
    example,
    check: ({ name }) => {
      return (value) => {
        const normalised =
          typeof value === 'string' || typeof value === 'number' ? normaliseDecimal(value, shape) : undefined;
        return normalised === undefined
          ? problem(`${name} must be a decimal with ${digits} (e.g. ${example})`)
          : ok(normalised);
      };
    },
    parseDefault(raw, field) {
      const value = normaliseDecimal(raw, shape);
      return value === undefined ? problem(`is not a ${field.type} with ${digits}`) : ok(value);
    },
    fromQuery: asText,
    schema: (field) => ({ type: 'string', pattern: decimalPattern(field, shape) }),
    fake(field, faker, sequence) {
      const step = 10 ** -scale;
      const range = typical(allowedRange(field, shape, step));
      const low = Math.ceil(range.low / step) * step;
      const high = Math.floor(range.high / step) * step;
      const value = field.rules.unique
        ? Math.min(low + sequence * step, high)
        : faker.number.float({ min: low, max: high, multipleOf: step });
      return normaliseDecimal(value.toFixed(scale), shape);
    },
    invalid,
  };
}

export const decimal = decimalType(10, 2, '"19.99"', { body: ['1.234', 'abc', '123456789.00'], filter: 'abc' });
export const money = decimalType(15, 2, '"1999.00"', { body: ['1.001', 'x'], filter: 'abc' });
export const percent = decimalType(
  5,
  2,
  '"12.50"',
  { body: ['100.01', '-0.01'], filter: '101' },
  { min: '0', max: '100' },
);
