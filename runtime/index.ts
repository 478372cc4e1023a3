// fastpy-runtime: the application factory. Each area has its own entry (fastpy-runtime/http, /auth,
// /config, /database, /factories, /fields, /openapi, /testing, /libs, /mail, /storage, /console, /utils).
/// <reference types="@koa/bodyparser" preserve="true" />
export {
  appRouters,
  appServices,
  configureFacades,
  createApp,
  type AppServices,
  type CreateAppOptions,
  type RouteFactory,
  type RuntimeFacades,
  type RuntimeMiddleware,
} from './app.js';
