// GET /openapi.json: the OpenAPI 3.1 document of every route the app serves (DOCS_ENABLED).
import Router from '@koa/router';
import { openApiDocument, type OpenApiOptions } from '../openapi/document.js';

/** The router; `routers` is read on each request, so it describes every router mounted beside it. */
export function openApiRouter(routers: () => readonly Router[], options: OpenApiOptions): Router {
  const router = new Router();
  let cached: Record<string, unknown> | undefined;
  router.get('docs.openapi', '/openapi.json', (ctx) => {
    cached ??= openApiDocument(routers(), options);
    ctx.body = cached;
  });
  return router;
}
