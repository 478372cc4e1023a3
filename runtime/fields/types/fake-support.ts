// What the types' fake values share: the range a number's rules allow, lengths, uniqueness suffixes.
import { INT32 } from '../formats.js';
import type { FieldDefinition } from '../spec.js';
import type { TypeInfo } from './descriptor.js';

/** The closed numeric interval a field's rules allow (gt/lt made inclusive with `step`). */
export function allowedRange(
  field: FieldDefinition,
  decimal: TypeInfo['decimal'],
  step: number,
): { low: number; high: number } {
  const { rules } = field;
  let low = field.type === 'integer' ? INT32.min : -1e12;
  let high = field.type === 'integer' ? INT32.max : 1e12;
  if (decimal) {
    const limit = 10 ** decimal.integerDigits - step;
    [low, high] = [-limit, limit];
    if (decimal.min !== undefined) low = Math.max(low, Number(decimal.min));
    if (decimal.max !== undefined) high = Math.min(high, Number(decimal.max));
  }
  if (rules.min !== undefined) low = Math.max(low, rules.min);
  if (rules.gte !== undefined) low = Math.max(low, rules.gte);
  if (rules.gt !== undefined) low = Math.max(low, rules.gt + step);
  if (rules.max !== undefined) high = Math.min(high, rules.max);
  if (rules.lte !== undefined) high = Math.min(high, rules.lte);
  if (rules.lt !== undefined) high = Math.min(high, rules.lt - step);
  return { low, high };
}

/** A typical range inside the allowed one, so unbounded fields get ordinary values (0–1000). */
export function typical(bounds: { low: number; high: number }): { low: number; high: number } {
  const low = Math.max(bounds.low, Math.min(0, bounds.high));
  const high = Math.min(bounds.high, Math.max(low + 1000, low));
  return { low, high };
}

/** The text cut to the field's max (or the column's) and padded to its min. */
export function fitLength(text: string, field: FieldDefinition, maxLength = 255): string {
  const max = field.rules.max ?? maxLength;
  const min = field.rules.min ?? 1;
  let value = text.slice(0, max);
  while (value.length < min) value += 'x';
  return value;
}

/** Appends a sequence so unique fields never clash, keeping within the length. */
export function withSequence(text: string, sequence: number, max: number): string {
  const suffix = `-${sequence.toString(36)}`;
  return `${text.slice(0, Math.max(0, max - suffix.length))}${suffix}`;
}

export const pad = (value: number, width = 2) => String(value).padStart(width, '0');
