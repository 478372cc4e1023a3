// email: an e-mail address (a string column of 255).
import { isEmail } from '../formats.js';
import { formatDefault, stringCheck, textColumn } from './descriptor.js';
import { fitLength } from './fake-support.js';

export const email = textColumn(255, '"ada@example.com"', {
  check: ({ name }) => stringCheck(name, isEmail, 'a valid e-mail address'),
  parseDefault: formatDefault(isEmail, 'is not an e-mail address'),
  schema: () => ({ type: 'string', format: 'email' }),
  fake: (field, faker, sequence) =>
    fitLength(
      `${faker.internet
        .username()
        .toLowerCase()
        .replace(/[^a-z0-9._-]/g, '')}.${sequence}@example.com`,
      field,
    ),
  invalid: { body: ['nope', 'a@b'], filter: 'nope' },
});
