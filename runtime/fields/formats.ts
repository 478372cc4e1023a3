// Value formats of the field language, as pure checks: used to validate request bodies in the
// generated app and `default:` values when the generator parses a field spec (no dependencies).
import { isIP } from 'node:net';

export const INT32 = { min: -2_147_483_648, max: 2_147_483_647 } as const;
export const INT64 = { min: -9_223_372_036_854_775_808n, max: 9_223_372_036_854_775_807n } as const;

const EMAIL =
  /^[^\s@"(),:;<>[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** The patterns of the formats a regular expression decides, for documents that describe them (OpenAPI). */
export const FORMAT_PATTERNS = {
  slug: SLUG.source,
  color: COLOR.source,
  phone: E164.source,
  time: TIME.source,
  uuid: UUID.source,
} as const;
/** ISO 8601 date-time with a zone (Z or ±hh:mm): a time without a zone is ambiguous. */
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** @example isEmail('ada@example.com') // true */
export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** An absolute http(s) URL. @example isHttpUrl('https://example.com/a') // true */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/**
 * The length of text in characters (Unicode code points), as PostgreSQL and MySQL count a column's
 * length and JSON Schema counts maxLength; JavaScript's `length` counts UTF-16 units (an emoji is 2).
 *
 * @example
 * characterCount('😀😀') // 2
 */
export function characterCount(value: string): number {
  return value.length - (value.match(SURROGATE_PAIR)?.length ?? 0);
}

export const isUuid = (value: string): boolean => UUID.test(value);
export const isSlug = (value: string): boolean => SLUG.test(value);
export const isColor = (value: string): boolean => COLOR.test(value);
/** E.164 phone number. @example isPhone('+14155550100') // true */
export const isPhone = (value: string): boolean => E164.test(value);
export const isIpAddress = (value: string): boolean => isIP(value) !== 0;

/** A real calendar date `YYYY-MM-DD` (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1;
}

/** `HH:MM` or `HH:MM:SS`, normalised to `HH:MM:SS`; undefined when invalid. */
export function normaliseTime(value: string): string | undefined {
  const match = TIME.exec(value);
  return match ? `${match[1]}:${match[2]}:${match[3] ?? '00'}` : undefined;
}

/** An ISO 8601 date-time with a zone, as a Date; undefined when invalid. */
export function parseDateTime(value: string): Date | undefined {
  const match = DATETIME.exec(value);
  if (!match || !isCalendarDate(`${match[1]}-${match[2]}-${match[3]}`)) return undefined;
  if (Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6] ?? 0) > 59) return undefined;
  const date = new Date(value.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export interface DecimalShape {
  /** Digits allowed before the point. */
  integerDigits: number;
  /** Digits allowed after the point (the value is written with exactly this many). */
  scale: number;
}

/**
 * A decimal given as a string or number, checked against its column's shape and written with
 * `scale` decimals; undefined when it is not a decimal or does not fit.
 *
 * @example
 * normaliseDecimal('19.9', { integerDigits: 8, scale: 2 })  // '19.90'
 * normaliseDecimal('1.999', { integerDigits: 8, scale: 2 }) // undefined (3 decimals)
 */
export function normaliseDecimal(value: string | number, shape: DecimalShape): string | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  // No trimming: " 1.00" is refused, as the documented pattern refuses it.
  const text = typeof value === 'number' ? String(value) : value;
  const match = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const integer = match[2]!.replace(/^0+(?=\d)/, '');
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (integer.length > shape.integerDigits || fraction.length > shape.scale) return undefined;
  const sign = match[1] === '-' && /[1-9]/.test(integer + fraction) ? '-' : '';
  return `${sign}${integer}.${fraction.padEnd(shape.scale, '0')}`;
}

/** Compares two decimal strings numerically (exact, no floating point): -1, 0 or 1. */
export function compareDecimals(a: string, b: string): number {
  const parse = (text: string) => {
    const negative = text.startsWith('-');
    const [integer = '0', fraction = ''] = text.replace(/^[+-]/, '').split('.');
    return { negative, integer: integer.replace(/^0+(?=\d)/, ''), fraction };
  };
  const left = parse(a);
  const right = parse(b);
  const width = Math.max(left.fraction.length, right.fraction.length);
  const scaled = (part: { negative: boolean; integer: string; fraction: string }) =>
    (part.negative ? -1n : 1n) * BigInt(part.integer + part.fraction.padEnd(width, '0'));
  const difference = scaled(left) - scaled(right);
  return difference === 0n ? 0 : difference > 0n ? 1 : -1;
}

/** A 64-bit integer given as a safe JSON integer or a string of digits, as a string; undefined otherwise. */
export function normaliseBigint(value: string | number): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
  if (!/^-?\d{1,19}$/.test(value.trim())) return undefined;
  const parsed = BigInt(value.trim());
  return parsed >= INT64.min && parsed <= INT64.max ? parsed.toString() : undefined;
}
