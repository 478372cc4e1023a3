// This package on disk: its root, version, and the runtime/ copied into generated projects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The generator-fastpy package root (this file is lib/package.{ts,js}). */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** runtime/: the TypeScript copied into every generated project's src/. */
export const RUNTIME_DIR = join(PACKAGE_ROOT, 'runtime');

export const PACKAGE_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
