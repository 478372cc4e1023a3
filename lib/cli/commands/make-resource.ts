// `fastpy make:resource <Name> -f … -m -p`: the resource generator (the same as `yo fastpy:resource`).
import type { Command } from 'commander';

interface MakeResourceOptions {
  field: string[];
  migration?: boolean;
  protected?: boolean;
  yes?: boolean;
  config?: string;
  force?: boolean;
}

/** The generator's command-line arguments for the parsed options. */
export function makeResourceArguments(name: string, options: MakeResourceOptions): string[] {
  const args = [name, ...options.field.flatMap((spec) => ['--field', spec])];
  if (options.migration) args.push('--migration');
  if (options.protected) args.push('--protected');
  if (options.yes) args.push('--yes');
  if (options.config) args.push('--config', options.config);
  if (options.force) args.push('--force');
  return args;
}

export function registerMakeResource(program: Command): void {
  program
    .command('make:resource')
    .description('generate a CRUD resource: model, migration, repository, service, controller, routes, tests, factory, seeder')
    .argument('<name>', 'resource name, singular (Post, BlogPost)')
    .option('-f, --field <spec>', 'a field, name:type[:rules] (repeatable)', (spec: string, all: string[]) => [...all, spec], [] as string[])
    .option('-m, --migration', 'write the migration that creates the table')
    .option('-p, --protected', 'put every route behind a bearer token')
    .option('-y, --yes', 'take defaults instead of asking')
    .option('--config <json|file>', 'answers as inline JSON or a JSON file (fields, protected, migration)')
    .option('--force', 'overwrite files that were changed since they were generated')
    .addHelpText('after', '\nExample:\n  fastpy make:resource Post -f title:string:required,max:200 -f body:text -f published_at:datetime:nullable -m -p')
    .action(async (name: string, options: MakeResourceOptions) => {
      const { runGenerator } = await import('../yeoman.js');
      await runGenerator('resource', makeResourceArguments(name, options), { invokedAs: 'fastpy make:resource' });
    });
}
