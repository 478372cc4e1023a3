// The route table: every route of the app with its method, path, name, whether it needs a bearer
// token, and its handler — for `fastpy route:list` and the OpenAPI document.
import type Router from '@koa/router';
import { requiredRoles, requiresAuth } from '../auth/require-auth.js';

export interface RouteRow {
  method: string;
  path: string;
  name: string | null;
  protected: boolean;
  /** The roles requireRole() lets through, on routes that have it. */
  roles?: string[];
  handler: string;
}

/** Every route of the routers with its handler function (the route table, and the OpenAPI document, read these). */
export function routeLayers(routers: readonly Router[]): Array<{ row: RouteRow; handler: object | undefined }> {
  const layers: Array<{ row: RouteRow; handler: object | undefined }> = [];
  for (const router of routers) {
    for (const layer of router.stack) {
      const methods = layer.methods.filter((method) => method !== 'HEAD');
      if (methods.length === 0) continue;
      const handler = layer.stack.at(-1) as { name?: string } | undefined;
      const roles = layer.stack.flatMap((middleware) => requiredRoles(middleware) ?? []);
      for (const method of methods) {
        layers.push({
          row: {
            method,
            path: String(layer.path),
            name: layer.name ?? null,
            // requireRole needs the user requireAuth finds: without a token it is a 401 too, also
            // where requireAuth is the router's own (router.use), which is not in a route's stack.
            protected: roles.length > 0 || layer.stack.some(requiresAuth),
            ...(roles.length > 0 ? { roles } : {}),
            handler: handler?.name ? handler.name.replace(/^bound /, '') : '(anonymous)',
          },
          handler,
        });
      }
    }
  }
  return layers;
}

/**
 * @example
 * describeRoutes(appRouters(services, routes))
 * // [{ method: 'GET', path: '/api/posts', name: 'posts.index', protected: true, handler: 'index' }, …]
 */
export function describeRoutes(routers: readonly Router[]): RouteRow[] {
  return routeLayers(routers).map((layer) => layer.row);
}

/** The rows as an aligned text table. */
export function formatRouteTable(rows: readonly RouteRow[]): string {
  const header = { method: 'METHOD', path: 'PATH', name: 'NAME', protected: 'AUTH', handler: 'HANDLER' };
  const cells = rows.map((row) => ({
    method: row.method,
    path: row.path,
    name: row.name ?? '',
    protected: `${row.protected ? 'bearer' : ''}${row.roles ? ` ${row.roles.join('|')}` : ''}`.trim(),
    handler: row.handler,
  }));
  const columns = ['method', 'path', 'name', 'protected', 'handler'] as const;
  const width = Object.fromEntries(
    columns.map((column) => [column, Math.max(header[column].length, ...cells.map((cell) => cell[column].length))]),
  ) as Record<(typeof columns)[number], number>;
  const line = (cell: Record<(typeof columns)[number], string>) =>
    columns
      .map((column) => cell[column].padEnd(width[column]))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}
