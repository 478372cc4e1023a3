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
export async function runGenerator(name: string, args: string[], options: { cwd?: string; invokedAs?: string; generatorOptions?: Record<string, unknown> } = {}): Promise<void> {
  const env = createEnv({ cwd: options.cwd ?? process.cwd() });
  // Yeoman announces a failed task before the error surfaces; the CLI prints the error itself, once.
  const log = env.adapter.log as { error: (...args: unknown[]) => unknown };
  const error = log.error.bind(log);
  log.error = (...args: unknown[]) => (typeof args[0] === 'string' && args[0].startsWith('An error occured while running') ? log : error(...args));
  env.register(generatorPath(name), { namespace: `fastpy:${name}` });
  await env.run([`fastpy:${name}`, ...args], { ...options.generatorOptions, invokedAs: options.invokedAs } as never);
}
