// Where the project lives on disk: this file is src/config/paths.ts (dist/config/paths.js once built).
import { fileURLToPath } from 'node:url';

/** The project root, whether running from src/ (tsx) or dist/ (built). */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
