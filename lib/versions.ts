// The one map of dependency versions written into generated projects: exact versions, chosen and
// tested together, never looked up at generation time. The repo's own devDependencies use the same
// versions for the packages runtime/ needs (a unit test checks they agree).

export const VERSIONS = {
  // application
  koa: '3.3.0',
  '@koa/router': '15.7.0',
  '@koa/bodyparser': '6.1.0',
  '@koa/cors': '5.0.0',
  helmet: '8.3.0',
  knex: '3.3.0',
  'better-sqlite3': '12.6.2',
  pg: '8.23.1',
  mysql2: '3.24.6',
  ioredis: '6.0.0',
  bullmq: '6.7.0',
  pino: '10.4.0',
  dotenv: '18.0.10',
  yup: '1.7.1',
  jose: '6.2.18',
  '@koa/multer': '4.0.0',
  multer: '2.5.0',
  'file-type': '21.3.4',
  bcrypt: '6.0.0',
  argon2: '0.45.1',
  undici: '7.30.2',
  '@aws-sdk/client-s3': '3.1175.0',
  '@aws-sdk/client-sesv2': '3.1175.0',
  nodemailer: '10.6.1',
  'swagger-ui-dist': '5.35.0',
  ejs: '6.0.1',
  // TypeScript at run time: migrations are TypeScript, run by the Knex CLI through tsx
  tsx: '4.23.15',
  // development
  typescript: '5.9.3',
  ava: '7.0.0',
  supertest: '7.3.2',
  '@faker-js/faker': '10.6.0',
  'pino-pretty': '13.2.0',
  '@types/node': '20.19.43',
  '@types/koa': '3.0.3',
  '@types/koa__cors': '5.0.1',
  '@types/supertest': '7.2.1',
  '@types/better-sqlite3': '9.6.0',
  '@types/pg': '8.23.1',
  '@types/bcrypt': '6.0.0',
  '@types/koa__multer': '2.0.8',
  '@types/multer': '2.3.0',
  '@types/nodemailer': '8.0.2',
  '@types/ejs': '3.1.5',
  // lint and format: ESLint with typescript-eslint, and Prettier (the generators format with the same version)
  eslint: '10.15.0',
  '@eslint/js': '10.0.1',
  'typescript-eslint': '8.74.0',
  globals: '17.14.0',
  prettier: '3.10.1',
} as const;

export type PackageName = keyof typeof VERSIONS;

/** Node versions the generated project (and this generator) support, as `engines.node`. */
export const NODE_ENGINES = '^20.19.0 || ^22.20.0 || >=24.12.0';

/**
 * A dependency map with pinned versions, sorted by name.
 *
 * @example
 * pinned(['koa', 'knex']) // { knex: '3.3.0', koa: '3.3.0' }
 */
export function pinned(names: readonly PackageName[]): Record<string, string> {
  return Object.fromEntries([...new Set(names)].sort().map((name) => [name, VERSIONS[name]]));
}
