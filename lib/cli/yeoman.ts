// Runs fastpy's Yeoman generators in-process through yeoman-environment, so `fastpy` needs no global `yo`.
import { join } from 'node:path';
import { createEnv } from 'yeoman-environment';
import { PACKAGE_ROOT } from '../package.js';

/** The generators of this package, by subgenerator name (`app`, later `resource`, `model`, …). */
export function generatorPath(name: string): string {
  return join(PACKAGE_ROOT, 'generators', name, 'index.js');
}

/**
 * Each generator's class, loaded only for the command that runs it. Literal imports, so that the
 * CLI's bundle (scripts/bundle-cli.mjs) holds the generators and their whole module graph.
 */
const GENERATORS: Record<string, () => Promise<{ default: unknown }>> = {
  app: () => import('../../generators/app/index.js'),
  resource: () => import('../../generators/resource/index.js'),
  model: () => import('../../generators/model/index.js'),
  controller: () => import('../../generators/controller/index.js'),
  route: () => import('../../generators/route/index.js'),
  service: () => import('../../generators/service/index.js'),
  repository: () => import('../../generators/repository/index.js'),
  test: () => import('../../generators/test/index.js'),
  factory: () => import('../../generators/factory/index.js'),
  seeder: () => import('../../generators/seeder/index.js'),
  middleware: () => import('../../generators/middleware/index.js'),
  enum: () => import('../../generators/enum/index.js'),
  exception: () => import('../../generators/exception/index.js'),
};

/**
 * Runs `fastpy:<name>` with command-line style arguments, in `cwd`.
 *
 * @example
 * await runGenerator('app', ['my-api', '--yes', '--skip-install']);
 */
export async function runGenerator(
  name: string,
  args: string[],
  options: { cwd?: string; invokedAs?: string; generatorOptions?: Record<string, unknown> } = {},
): Promise<void> {
  const env = createEnv({ cwd: options.cwd ?? process.cwd() });
  // Yeoman announces a failed task before the error surfaces; the CLI prints the error itself, once.
  const log = env.adapter.log as { error: (...args: unknown[]) => unknown };
  const error = log.error.bind(log);
  log.error = (...args: unknown[]) =>
    typeof args[0] === 'string' && args[0].startsWith('An error occured while running') ? log : error(...args);
  const load = GENERATORS[name];
  if (!load) throw new Error(`fastpy has no ${name} generator`);
  // Registered by class, with its path on disk: its templates are found beside that path.
  env.register((await load()).default, { namespace: `fastpy:${name}`, resolved: generatorPath(name) });
  await env.run([`fastpy:${name}`, ...args], { ...options.generatorOptions, invokedAs: options.invokedAs } as never);
}
