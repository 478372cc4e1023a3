// fastpy-runtime/database: connections and dialects, the database server, schema helpers for
// migrations, and the data layer resources build on (models, repositories, services).
export * from './connection.js';
export * from './dialects.js';
export * from './schema.js';
export * from './server.js';
export * from '../models/base-model.js';
export * from '../models/relation.js';
export * from '../models/user.js';
export * from '../repositories/base-repository.js';
export * from '../services/base-service.js';
