// Refuses request bodies nested deeper than a limit (BODY_MAX_DEPTH), before anything walks them:
// validation messages, casts and JSON.stringify recurse, and a 6 KB body of 3,000 nested arrays is
// enough to exhaust the stack (a 500). The depth is measured without recursion.
import type { Middleware } from 'koa';
import { BadRequestException } from '../utils/exceptions.js';

/**
 * How deep a parsed JSON value nests (a scalar is 0, `[]` and `{}` are 1, `[[1]]` is 2); stops
 * counting once past `limit`.
 *
 * @example
 * nestingDepth({ a: [1, { b: 2 }] }) // 3
 */
export function nestingDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(current) ? current : Object.values(current))
      if (typeof child === 'object' && child !== null) stack.push([child, here]);
  }
  return deepest;
}

/**
 * @example
 * app.use(bodyParser());
 * app.use(limitBodyDepth(64));
 */
export function limitBodyDepth(maxDepth: number): Middleware {
  return function bodyDepthMiddleware(ctx, next) {
    const body = (ctx.request as { body?: unknown }).body;
    if (typeof body === 'object' && body !== null && nestingDepth(body, maxDepth) > maxDepth) {
      throw new BadRequestException(`The request body is nested more than ${maxDepth} levels deep`);
    }
    return next();
  };
}
