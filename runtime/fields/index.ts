// fastpy-runtime/fields: the field language, its types (TYPES, one descriptor each), its formats,
// validation, list queries, fake values and uploads.
export * from './fake.js';
export * from './formats.js';
export * from './query.js';
export * from './spec.js';
export * from './types/index.js';
export * from './uploads.js';
export * from './validation.js';
