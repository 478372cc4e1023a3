// string: a line of text, up to 255 characters unless `max` says otherwise (a string column).
import { LENGTH_RULES, ok, plainTextCheck, textColumn } from './descriptor.js';
import { fitLength, withSequence } from './fake-support.js';

export const string = textColumn(
  255,
  '"Hello"',
  {
    check: plainTextCheck,
    parseDefault: (raw) => ok(raw),
    schema: () => ({ type: 'string' }),
    fake(field, faker, sequence) {
      const max = field.rules.max ?? 255;
      const text = fitLength(faker.lorem.words({ min: 1, max: 4 }), field);
      return field.rules.unique ? fitLength(withSequence(text, sequence, max), field) : text;
    },
    invalid: { body: [42, true, { a: 1 }] },
  },
  { rules: [...LENGTH_RULES, 'foreign'], column: { method: 'string', args: [255], sizedByMax: true } },
);
