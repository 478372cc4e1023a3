// The API's documentation, served by the app itself (DOCS_ENABLED): GET /openapi.json (OpenAPI 3.1,
// of every route mounted beside it) and GET /docs, Swagger UI from the swagger-ui-dist package — no
// CDN — under a Content-Security-Policy of its own (scripts and styles from this origin only).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import { describeRoute, openApiDocument, type OpenApiOptions } from '../openapi/document.js';
import { requireOptional } from '../utils/optional-package.js';

/** The Swagger UI files /docs serves, and their types. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'oauth2-redirect.html': 'text/html; charset=utf-8',
  'oauth2-redirect.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** Scripts and styles from this origin; Swagger UI sets inline styles, and images may be data: URLs. */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const page = (title: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${title.replace(/[<>&"]/g, '')} — API docs</title>
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// The page's own script (no inline script: the CSP allows none). "Authorize" logs in through the
// OAuth2 password flow on /api/auth/login.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  oauth2RedirectUrl: window.location.origin + '/docs/assets/oauth2-redirect.html',
});
`;

let assetsRoot: string | undefined;
const swaggerUiDist = () =>
  (assetsRoot ??= dirname(
    requireOptional('docs', 'GET /docs (Swagger UI)', () =>
      createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'),
    ),
  ));

/** The router; `routers` is read on the first request, so it describes every router mounted beside it. */
export function openApiRouter(routers: () => readonly Router[], options: OpenApiOptions): Router {
  const router = new Router();
  let cached: Record<string, unknown> | undefined;
  const file = (summary: string, contentType: string) => ({
    tags: ['docs'],
    summary,
    responses: { 200: { description: 'OK', contentType, schema: { type: 'string' } } },
  });
  router.get(
    'docs.openapi',
    '/openapi.json',
    describeRoute(
      {
        tags: ['docs'],
        summary: 'This document (OpenAPI 3.1)',
        responses: { 200: { description: 'OK', schema: { type: 'object' } } },
      },
      function openapi(ctx) {
        cached ??= openApiDocument(routers(), options);
        ctx.body = cached;
      },
    ),
  );
  router.get(
    'docs.ui',
    '/docs',
    describeRoute(file('These docs (Swagger UI)', 'text/html'), function docs(ctx) {
      ctx.set('Content-Security-Policy', DOCS_CSP);
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = page(options.title);
    }),
  );
  router.get(
    'docs.init',
    '/docs/init.js',
    describeRoute(file("The docs page's script", 'text/javascript'), function init(ctx) {
      ctx.type = 'text/javascript; charset=utf-8';
      ctx.body = INIT;
    }),
  );
  const types = [...new Set(Object.values(ASSETS).map((type) => type.split(';')[0]!))];
  const asset = {
    tags: ['docs'],
    summary: 'A Swagger UI asset',
    responses: {
      200: { description: 'OK', contentType: types, schema: { type: 'string' } },
      404: { description: 'Not one of the assets' },
    },
  };
  router.get(
    'docs.assets',
    '/docs/assets/:file',
    describeRoute(asset, async function docsAsset(ctx) {
      const type = ASSETS[ctx.params.file ?? ''];
      if (!type) return; // not one of ours: 404
      ctx.set('Content-Security-Policy', DOCS_CSP);
      ctx.set('Cache-Control', 'public, max-age=86400');
      ctx.type = type;
      ctx.body = await readFile(join(swaggerUiDist(), ctx.params.file!));
    }),
  );
  return router;
}
