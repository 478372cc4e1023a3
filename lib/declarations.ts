// What the enum and exception generators accept, checked in one place (they, and `fastpy ai`'s
// plan check, use these).
import { snakeCase } from './naming.js';
import { UsageError } from './questions.js';

/**
 * An enum's entries (constant key → value), or a UsageError naming every bad value.
 *
 * @example
 * enumEntries(['active', 'on-hold']) // [{ key: 'ACTIVE', value: 'active' }, { key: 'ON_HOLD', value: 'on-hold' }]
 */
export function enumEntries(values: readonly string[]): Array<{ key: string; value: string }> {
  const problems: string[] = [];
  for (const value of values)
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value)) problems.push(`"${value}" (use letters, digits, _, . and -)`);
  const keys = values.map((value) => snakeCase(value).toUpperCase() || value.toUpperCase());
  const duplicates = keys.filter((key, index) => keys.indexOf(key) !== index);
  if (duplicates.length > 0)
    problems.push(`values that clash once turned into keys: ${[...new Set(duplicates)].join(', ')}`);
  if (problems.length > 0)
    throw new UsageError(`Cannot make the enum: ${problems.join('; ')}. Nothing was written.`, 'E_ENUM_VALUES');
  return values.map((value, index) => ({ key: /^\d/.test(keys[index]!) ? `_${keys[index]}` : keys[index]!, value }));
}

/** An exception's HTTP status (400–599), or a UsageError. */
export function exceptionStatus(raw: unknown): number {
  const status = Number(raw);
  if (!Number.isInteger(status) || status < 400 || status > 599)
    throw new UsageError(`-s ${String(raw)}: an exception's status is an HTTP error status, 400 to 599`, 'E_STATUS');
  return status;
}
