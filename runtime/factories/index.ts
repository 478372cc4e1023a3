// fastpy-runtime/factories: model factories for seeders and tests (needs @faker-js/faker).
export * from './factory.js';
export * from './user-factory.js';
