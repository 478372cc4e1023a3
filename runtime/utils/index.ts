// fastpy-runtime/utils: the logger, graceful shutdown, progress lines, class registries and wildcards.
export * from './class-registry.js';
export * from './errors.js';
export * from './logger.js';
export * from './progress.js';
export * from './shutdown.js';
export * from './wildcard.js';
export * from './optional-package.js';
