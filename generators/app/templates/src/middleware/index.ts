// The application's own middleware, run in this order after the built-in stack and before the routes.
// `fastpy make:middleware <Name>` adds its middleware here.
import type { Middleware } from 'koa';

export const middleware: Middleware[] = [
  // fastpy:middleware — generated middleware is registered above this line
];
