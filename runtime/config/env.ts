// Loads .env files into process.env. Tests read .env.test *over* the shell's environment, so a
// DATABASE_URL exported for development can never point the test suite at a real database;
// TEST_DATABASE_URL (e.g. set by CI) picks the test database explicitly.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import dotenv from 'dotenv';

/**
 * @example
 * loadEnvFiles(process.cwd()); // development: .env fills what the shell did not set
 */
export function loadEnvFiles(root: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV === 'test') {
    const testFile = join(root, '.env.test');
    if (existsSync(testFile)) dotenv.config({ path: testFile, override: true, quiet: true, processEnv: env });
    if (env.TEST_DATABASE_URL) env.DATABASE_URL = env.TEST_DATABASE_URL;
    return;
  }
  const file = join(root, '.env');
  if (existsSync(file)) dotenv.config({ path: file, quiet: true, processEnv: env });
}
