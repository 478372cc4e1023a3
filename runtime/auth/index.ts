// fastpy-runtime/auth: the auth service, access tokens, passwords, the login throttle and requireAuth().
export * from './auth-service.js';
export * from './login-throttle.js';
export * from './passwords.js';
export * from './require-auth.js';
export * from './tokens.js';
