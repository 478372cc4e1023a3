// The generators, loaded only by the commands that run one (keeping `fastpy --help` fast).
import { startFormatter } from '../format.js';

/**
 * yeoman.js's runGenerator. Prettier starts loading in its own thread first (lib/format.ts), so
 * that it is ready, on the other core, by the time Yeoman is loaded and the templates rendered.
 */
export async function loadGenerators(): Promise<typeof import('./yeoman.js').runGenerator> {
  startFormatter();
  return (await import('./yeoman.js')).runGenerator;
}
