// `*` patterns, as the facades take them: `user.*`, `*.created`, `https://api.example.com/*`.

/**
 * A matcher where `*` stands for any run of characters (dots and slashes included) and the rest is literal.
 *
 * @example
 * wildcard('user.*')('user.profile.updated') // true
 */
export function wildcard(pattern: string): (value: string) => boolean {
  if (!pattern.includes('*')) return (value) => value === pattern;
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (value) => regex.test(value);
}
