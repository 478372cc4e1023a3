// fastpy-runtime/testing: the resource contract tests (needs ava and supertest).
export * from './resource-contract.js';
