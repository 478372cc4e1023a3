// fastpy-runtime/http: controllers, middleware, routers, envelopes, errors and pagination.
/// <reference types="@koa/bodyparser" preserve="true" />
export * from './controllers/auth-controller.js';
export * from './controllers/resource-controller.js';
export * from './middleware/body-depth.js';
export * from './middleware/error-handler.js';
export * from './middleware/form-fields.js';
export * from './middleware/rate-limit.js';
export * from './middleware/request-id.js';
export * from './middleware/security-headers.js';
export * from './middleware/timing.js';
export * from './routes/auth.js';
export * from './routes/dispatch.js';
export * from './routes/health.js';
export * from './routes/openapi.js';
export * from './routes/route-table.js';
export * from './utils/exceptions.js';
export * from './utils/pagination.js';
export * from './utils/responses.js';
export * from './utils/validation.js';
