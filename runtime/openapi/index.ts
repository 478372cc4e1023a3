// fastpy-runtime/openapi: the OpenAPI 3.1 document built from the app's routers.
export * from './document.js';
