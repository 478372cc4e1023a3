// `fastpy stubs:publish [name]`: copies generators' templates into the project (.fastpy/templates/),
// where every generator prefers them — so a team changes what gets generated without forking.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { generatorTemplates, PROJECT_TEMPLATES } from '../../template-files.js';
import { PACKAGE_ROOT } from '../../package.js';
import { requireProjectRoot } from '../../project-root.js';
import { UsageError } from '../../questions.js';

/** Generators whose templates a project can own (make:model, make:controller, … use resource's). */
export const PUBLISHABLE = ['resource', 'middleware', 'enum', 'exception'] as const;

/**
 * Copies the templates; an existing copy is kept unless `force`. Returns what was written and skipped.
 *
 * @example
 * publishStubs('/srv/api', ['resource']) // { written: ['.fastpy/templates/resource/model.ts.ejs', …], skipped: [] }
 */
export function publishStubs(
  root: string,
  names: readonly string[],
  force = false,
): { written: string[]; skipped: string[] } {
  const written: string[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    for (const { name: file, source } of generatorTemplates(join(PACKAGE_ROOT, 'generators'), name)) {
      const target = join(PROJECT_TEMPLATES, name, file);
      if (existsSync(join(root, target)) && !force) {
        skipped.push(target);
        continue;
      }
      mkdirSync(dirname(join(root, target)), { recursive: true });
      cpSync(source, join(root, target));
      written.push(target);
    }
  }
  return { written, skipped };
}

export function registerStubs(program: Command): void {
  program
    .command('stubs:publish')
    .description("copy the generators' templates into .fastpy/templates/ to customise what gets generated")
    .argument('[name]', `one of ${PUBLISHABLE.join(', ')} (default: all)`)
    .option('--force', 'overwrite templates already published')
    .action((name: string | undefined, options: { force?: boolean }) => {
      if (name !== undefined && !(PUBLISHABLE as readonly string[]).includes(name)) {
        throw new UsageError(
          `no templates named "${name}"; publishable: ${PUBLISHABLE.join(', ')} (make:model, make:controller and the other parts use resource's)`,
          'E_USAGE',
        );
      }
      const root = requireProjectRoot(process.cwd(), 'fastpy stubs:publish');
      const { written, skipped } = publishStubs(root, name ? [name] : PUBLISHABLE, options.force === true);
      console.log(
        [
          ...written.map((file) => `  published ${file}`),
          ...skipped.map((file) => `  kept      ${file} (already published; --force to replace)`),
        ].join('\n'),
      );
      console.log(`\nEdit them: fastpy generators use ${PROJECT_TEMPLATES}/<generator>/ before their own templates.`);
    });
}
