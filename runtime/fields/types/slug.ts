// slug: lowercase letters and digits in words joined by - (hello-world).
import { FORMAT_PATTERNS, isSlug } from '../formats.js';
import { formatDefault, stringCheck, textColumn } from './descriptor.js';

export const slug = textColumn(255, '"hello-world"', {
  check: ({ name }) =>
    stringCheck(name, isSlug, 'a slug: lowercase letters and digits in words joined by - (e.g. hello-world)'),
  parseDefault: formatDefault(isSlug, 'is not a slug (lowercase words joined by -)'),
  schema: () => ({ type: 'string', pattern: FORMAT_PATTERNS.slug }),
  fake(field, faker, sequence) {
    // Cut on a word boundary, keep the uniqueness suffix, and never end on "-".
    const suffix = field.rules.unique ? `-${sequence.toString(36)}` : '';
    const max = field.rules.max ?? 255;
    let head =
      faker.lorem
        .slug(2)
        .slice(0, Math.max(1, max - suffix.length))
        .replace(/-+$/, '') || 'x';
    while (head.length + suffix.length < (field.rules.min ?? 1)) head += 'x';
    return `${head}${suffix}`;
  },
  invalid: { body: ['Hello World', '-x', 'a--b'], filter: 'Not A Slug' },
});
