// Fake values for a field that always satisfy its type and rules (lengths, bounds, formats,
// uniqueness through a sequence number), for factories and seeders.
import type { Faker } from '@faker-js/faker';
import { TYPES, type FieldDefinition } from './spec.js';
import { allowedRange } from './types/fake-support.js';

/** The closed numeric interval a field's rules allow (gt/lt made inclusive with `step`). */
export function numericBounds(field: FieldDefinition, step: number): { low: number; high: number } {
  return allowedRange(field, TYPES[field.type].decimal, step);
}

/**
 * A value for the field, from its type's descriptor. `sequence` grows with each record made, for
 * unique fields. Foreign keys are resolved by the factory, not here (undefined).
 *
 * @example
 * fakeValue(parseFieldSpec('price:decimal:gte:10,lt:20'), faker, 1) // e.g. '14.37'
 */
export function fakeValue(field: FieldDefinition, faker: Faker, sequence: number): unknown {
  if (field.rules.foreign) return undefined;
  return TYPES[field.type].fake(field, faker, sequence);
}
