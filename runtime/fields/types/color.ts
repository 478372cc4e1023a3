// color: a hex color #rrggbb.
import { FORMAT_PATTERNS, isColor } from '../formats.js';
import { formatDefault, KEYED_RULES, stringCheck, textColumn } from './descriptor.js';

export const color = textColumn(
  7,
  '"#ff8800"',
  {
    check: ({ name }) => stringCheck(name, isColor, 'a color #rrggbb'),
    parseDefault: formatDefault(isColor, 'is not a color #rrggbb'),
    schema: () => ({ type: 'string', pattern: FORMAT_PATTERNS.color }),
    fake: (field, faker, sequence) =>
      field.rules.unique
        ? `#${(sequence % 0xffffff).toString(16).padStart(6, '0')}`
        : faker.color.rgb({ format: 'hex', casing: 'lower' }),
    invalid: { body: ['red', '#12345g', '#fff'], filter: 'red' },
  },
  { family: 'identifier', searchable: false, rules: KEYED_RULES },
);
