// The Http facade: the client, its requests and responses, the address guard.
export * from './address-guard.js';
export * from './manager.js';
export * from './request.js';
export * from './response.js';
