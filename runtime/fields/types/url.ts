// url: an absolute http(s) URL, up to 2048 characters (not indexable on MySQL at that length).
import { isHttpUrl } from '../formats.js';
import { BASE_RULES, formatDefault, stringCheck, textColumn } from './descriptor.js';

export const url = textColumn(
  2048,
  '"https://example.com"',
  {
    check: ({ name }) => stringCheck(name, isHttpUrl, 'an http(s) URL'),
    parseDefault: formatDefault(isHttpUrl, 'is not an http(s) URL'),
    schema: () => ({ type: 'string', format: 'uri' }),
    fake: (_field, faker, sequence) => `https://example.com/${faker.lorem.slug(2)}-${sequence}`,
    invalid: { body: ['example.com', 'ftp://example.org', 'javascript:alert(1)'], filter: 'nope' },
  },
  { rules: [...BASE_RULES, 'max', 'min'] },
);
