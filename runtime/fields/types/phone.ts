// phone: an E.164 phone number (+ and up to 15 digits).
import { FORMAT_PATTERNS, isPhone } from '../formats.js';
import { formatDefault, stringCheck, textColumn } from './descriptor.js';

export const phone = textColumn(20, '"+14155550100"', {
  check: ({ name }) => stringCheck(name, isPhone, 'an E.164 phone number (e.g. +14155550100)'),
  parseDefault: formatDefault(isPhone, 'is not an E.164 phone number (e.g. +14155550100)'),
  schema: () => ({ type: 'string', pattern: FORMAT_PATTERNS.phone }),
  fake: (field, faker, sequence) =>
    `+1415${String(field.rules.unique ? sequence % 10_000_000 : faker.number.int({ min: 0, max: 9_999_999 })).padStart(7, '0')}`,
  invalid: { body: ['4155550100', '+0123'], filter: 'nope' },
});
