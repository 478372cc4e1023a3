// fastpy-runtime/config: settings read from the environment (.env files), and the project's root.
export * from './env.js';
export * from './paths.js';
export * from './settings.js';
