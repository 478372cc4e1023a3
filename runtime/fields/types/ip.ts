// ip: an IPv4 or IPv6 address (45 characters hold any).
import { isIpAddress } from '../formats.js';
import { formatDefault, KEYED_RULES, stringCheck, textColumn } from './descriptor.js';

export const ip = textColumn(
  45,
  '"203.0.113.7"',
  {
    check: ({ name }) => stringCheck(name, isIpAddress, 'an IPv4 or IPv6 address'),
    parseDefault: formatDefault(isIpAddress, 'is not an IPv4 or IPv6 address'),
    schema: () => ({
      type: 'string',
      anyOf: [
        { type: 'string', format: 'ipv4' },
        { type: 'string', format: 'ipv6' },
      ],
    }),
    fake: (field, faker, sequence) =>
      field.rules.unique
        ? `10.${(sequence >> 16) & 255}.${(sequence >> 8) & 255}.${sequence & 255}`
        : faker.internet.ipv4(),
    invalid: { body: ['1.2.3', '999.1.1.1'], filter: 'nope' },
  },
  { family: 'identifier', searchable: false, rules: KEYED_RULES },
);
