// fastpy-runtime/testing: the test kit and the resource contract tests (needs ava and supertest).
export * from './kit.js';
export * from './resource-contract.js';
