// Runs fastpy's Yeoman generators in-process through yeoman-environment, so `fastpy` needs no global `yo`.
import { join } from 'node:path';
import { createEnv } from 'yeoman-environment';
import { PACKAGE_ROOT } from '../package.js';

/** The generators of this package, by subgenerator name (`app`, later `resource`, `model`, …). */
export function generatorPath(name: string): string {
  return join(PACKAGE_ROOT, 'generators', name, 'index.js');
}

/**
 * Runs `fastpy:<name>` with command-line style arguments, in `cwd`.
 *
 * @example
 * await runGenerator('app', ['my-api', '--yes', '--skip-install']);
 */
export async function runGenerator(name: string, args: string[], options: { cwd?: string; invokedAs?: string } = {}): Promise<void> {
  const env = createEnv({ cwd: options.cwd ?? process.cwd() });
  env.register(generatorPath(name), { namespace: `fastpy:${name}` });
  await env.run([`fastpy:${name}`, ...args], { invokedAs: options.invokedAs } as never);
}
