// Fake values for a field that always satisfy its type and rules (lengths, bounds, formats,
// uniqueness through a sequence number), for factories and seeders.
import type { Faker } from '@faker-js/faker';
import { INT32, normaliseDecimal } from './formats.js';
import { TYPES, type FieldDefinition } from './spec.js';

/** The closed numeric interval a field's rules allow (gt/lt made inclusive with `step`). */
export function numericBounds(field: FieldDefinition, step: number): { low: number; high: number } {
  const info = TYPES[field.type];
  const { rules } = field;
  let low = field.type === 'integer' ? INT32.min : -1e12;
  let high = field.type === 'integer' ? INT32.max : 1e12;
  if (info.decimal) {
    const limit = 10 ** info.decimal.integerDigits - step;
    [low, high] = [-limit, limit];
    if (info.decimal.min !== undefined) low = Math.max(low, Number(info.decimal.min));
    if (info.decimal.max !== undefined) high = Math.min(high, Number(info.decimal.max));
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
function typical(bounds: { low: number; high: number }): { low: number; high: number } {
  const low = Math.max(bounds.low, Math.min(0, bounds.high));
  const high = Math.min(bounds.high, Math.max(low + 1000, low));
  return { low, high };
}

function fitLength(text: string, field: FieldDefinition): string {
  const max = field.rules.max ?? TYPES[field.type].maxLength ?? 255;
  const min = field.rules.min ?? 1;
  let value = text.slice(0, max);
  while (value.length < min) value += 'x';
  return value;
}

/** Appends a sequence so unique fields never clash, keeping within the length. */
function withSequence(text: string, sequence: number, max: number): string {
  const suffix = `-${sequence.toString(36)}`;
  return `${text.slice(0, Math.max(0, max - suffix.length))}${suffix}`;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * A value for the field. `sequence` grows with each record made, for unique fields.
 * Foreign keys are resolved by the factory, not here (undefined).
 *
 * @example
 * fakeValue(parseFieldSpec('price:decimal:gte:10,lt:20'), faker, 1) // e.g. '14.37'
 */
export function fakeValue(field: FieldDefinition, faker: Faker, sequence: number): unknown {
  const { rules, type } = field;
  if (rules.foreign) return undefined;
  const info = TYPES[type];
  const unique = rules.unique === true;
  switch (type) {
    case 'string': {
      const max = rules.max ?? 255;
      const text = fitLength(faker.lorem.words({ min: 1, max: 4 }), field);
      return unique ? fitLength(withSequence(text, sequence, max), field) : text;
    }
    case 'text':
      return fitLength(faker.lorem.paragraph(), field);
    case 'integer': {
      const bounds = typical(numericBounds(field, 1));
      const low = Math.ceil(bounds.low);
      const high = Math.floor(numericBounds(field, 1).high);
      return unique
        ? Math.min(low + sequence, high)
        : faker.number.int({ min: low, max: Math.max(low, Math.floor(bounds.high)) });
    }
    case 'bigint': {
      const bounds = typical(numericBounds(field, 1));
      return String(
        unique
          ? Math.ceil(bounds.low) + sequence
          : faker.number.int({ min: Math.ceil(bounds.low), max: Math.floor(bounds.high) }),
      );
    }
    case 'float': {
      const bounds = typical(numericBounds(field, 1e-6));
      return faker.number.float({ min: bounds.low, max: bounds.high, fractionDigits: 3 });
    }
    case 'decimal':
    case 'money':
    case 'percent': {
      const scale = info.decimal!.scale;
      const step = 10 ** -scale;
      const bounds = typical(numericBounds(field, step));
      const low = Math.ceil(bounds.low / step) * step;
      const high = Math.floor(bounds.high / step) * step;
      const value = unique
        ? Math.min(low + sequence * step, high)
        : faker.number.float({ min: low, max: high, multipleOf: step });
      return normaliseDecimal(value.toFixed(scale), info.decimal!);
    }
    case 'boolean':
      return faker.datatype.boolean();
    case 'datetime': {
      const date = faker.date.recent({ days: 30 });
      date.setUTCMilliseconds(unique ? sequence % 1000 : date.getUTCMilliseconds());
      return date.toISOString();
    }
    case 'date': {
      const date = unique ? new Date(Date.UTC(2000, 0, 1) + sequence * 86_400_000) : faker.date.past({ years: 5 });
      return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
    }
    case 'time': {
      const seconds = unique ? sequence % 86_400 : faker.number.int({ min: 0, max: 86_399 });
      return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
    }
    case 'email':
      return fitLength(
        `${faker.internet
          .username()
          .toLowerCase()
          .replace(/[^a-z0-9._-]/g, '')}.${sequence}@example.com`,
        field,
      );
    case 'url':
      return `https://example.com/${faker.lorem.slug(2)}-${sequence}`;
    case 'uuid':
      return faker.string.uuid();
    case 'json':
      return { label: faker.lorem.word(), count: faker.number.int({ min: 0, max: 100 }), tags: [faker.lorem.word()] };
    case 'phone':
      return `+1415${String(unique ? sequence % 10_000_000 : faker.number.int({ min: 0, max: 9_999_999 })).padStart(7, '0')}`;
    case 'slug': {
      // Cut on a word boundary, keep the uniqueness suffix, and never end on "-".
      const suffix = unique ? `-${sequence.toString(36)}` : '';
      const max = rules.max ?? 255;
      let head =
        faker.lorem
          .slug(2)
          .slice(0, Math.max(1, max - suffix.length))
          .replace(/-+$/, '') || 'x';
      while (head.length + suffix.length < (rules.min ?? 1)) head += 'x';
      return `${head}${suffix}`;
    }
    case 'ip':
      return unique ? `10.${(sequence >> 16) & 255}.${(sequence >> 8) & 255}.${sequence & 255}` : faker.internet.ipv4();
    case 'color':
      return unique
        ? `#${(sequence % 0xffffff).toString(16).padStart(6, '0')}`
        : faker.color.rgb({ format: 'hex', casing: 'lower' });
    case 'file':
      return `uploads/${faker.system.commonFileName('pdf')}`;
    case 'image':
      return `uploads/${faker.system.commonFileName('png')}`;
  }
}
