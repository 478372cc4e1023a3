// The Event facade.
export * from './manager.js';
