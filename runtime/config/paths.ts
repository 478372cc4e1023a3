// Where the project lives on disk. Copied into a project this file is src/config/paths.ts
// (dist/config/paths.js once built); installed as the fastpy-runtime package it is
// node_modules/fastpy-runtime/dist/config/paths.js, and the project is the folder holding node_modules.
import { fileURLToPath } from 'node:url';

/**
 * The project root of a module two folders below it (src/config/, dist/config/), or of the package
 * it was installed as.
 *
 * @example
 * projectRootOf('file:///app/src/config/paths.ts') // '/app/'
 * projectRootOf('file:///app/node_modules/fastpy-runtime/dist/config/paths.js') // '/app/'
 */
export function projectRootOf(moduleUrl: string): string {
  const root = fileURLToPath(new URL('../..', moduleUrl));
  const installed = /[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+[\\/]$/.exec(root);
  return installed ? root.slice(0, installed.index + 1) : root;
}

/** The project root, whether running from src/ (tsx), dist/ (built) or the installed package. */
export const PROJECT_ROOT = projectRootOf(import.meta.url);
