// ESLint for this repository: JavaScript's and typescript-eslint's type-checked recommended rules
// over the generator (lib/, generators/), the runtime and the tests; formatting is Prettier's.
// `npm run lint` runs it, and `npm test` runs that first.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'dist/',
    'runtime/dist/',
    // What tsc writes beside the sources, and the generators' compiled entry points.
    '{lib,runtime,generators,test}/**/*.js',
    '**/*.d.ts',
    // Templates are linted as the projects they make are (the e2e test runs a project's npm run lint).
    'generators/*/templates/',
    'test/fixtures/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_name` marks what is left unused on purpose; `const { a, ...rest }` drops `a`.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Drivers implement async interfaces (a memory disk, a sync cache store): async without await
      // is how they keep the interface's promise (and turn a throw into a rejection).
      '@typescript-eslint/require-await': 'off',
      // String() of values typed unknown (a driver's column, a prompt's answer) is deliberate; where
      // an object can occur it is JSON.stringify'd. (The rule also fights no-unnecessary-type-assertion
      // over String(value as string).)
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // Plain JavaScript (the bin, build scripts, this file): not type-checked.
    files: ['**/*.{js,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Tests read JSON bodies (supertest's `any`) and poke at values on purpose; so do the test
    // suites the runtime ships (fastpy-runtime/testing: the resource contract, the kit).
    files: ['test/**/*.ts', 'runtime/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // Test servers take async request handlers: a rejection there fails the run, loudly.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
