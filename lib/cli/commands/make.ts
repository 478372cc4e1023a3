// `fastpy make:<x>`: the code generators, each running the Yeoman generator `fastpy:<x>` (the same
// one `yo fastpy:<x>` runs), with the seed CLI's flags.
import { Option, type Command } from 'commander';
import { loadGenerators } from '../generators.js';

interface Flag {
  /** commander flags, e.g. '-f, --field <spec>' */
  flags: string;
  description: string;
  /** The generator option it becomes. */
  option: string;
  repeatable?: boolean;
}

interface MakeCommand {
  generator: string;
  description: string;
  argument: string;
  flags: Flag[];
  example: string;
}

const FIELD: Flag = {
  flags: '-f, --field <spec>',
  description: 'a field to add, or to change by its name: name:type[:rules] (repeatable)',
  option: 'field',
  repeatable: true,
};
const MIGRATION: Flag = {
  flags: '-m, --migration',
  description: 'write the migration that creates the table',
  option: 'migration',
};
const PROTECTED: Flag = {
  flags: '-p, --protected',
  description: 'put every route behind a bearer token',
  option: 'protected',
};
/** A resource that exists keeps its protection; this takes it away. */
const UNPROTECTED: Flag = {
  flags: '--no-protected',
  description: 'take the routes out from behind the token',
  option: 'protected',
};
const OWNED: Flag[] = [
  {
    flags: '--owned',
    description:
      'records belong to the user who creates them: user_id from the token, each user reaches only their own (admins all); implies --protected',
    option: 'owned',
  },
  { flags: '--no-owned', description: 'records no longer belong to their creators (drops user_id)', option: 'owned' },
];
/** Changing the fields of a resource or model that exists (-f adds a field or changes the one of its name). */
const CHANGE: Flag[] = [
  {
    flags: '--remove-field <name>',
    description: 'remove a field, with its column and data (repeatable)',
    option: 'removeField',
    repeatable: true,
  },
  {
    flags: '--rename-field <old:new>',
    description: 'rename a field and its column, keeping the data (repeatable)',
    option: 'renameField',
    repeatable: true,
  },
  {
    flags: '--allow-data-loss',
    description: 'go ahead with a change that drops or narrows a column, without asking',
    option: 'allowDataLoss',
  },
];

export const MAKE_COMMANDS: Record<string, MakeCommand> = {
  resource: {
    generator: 'resource',
    description: 'a CRUD resource: model, migration, repository, service, controller, routes, tests, factory, seeder',
    argument: 'name',
    flags: [
      FIELD,
      ...CHANGE,
      MIGRATION,
      PROTECTED,
      UNPROTECTED,
      ...OWNED,
      {
        flags: '--belongs-to-many <Resource>',
        description:
          'link its records to many of another resource through a pivot table (Tag: tag_ids in bodies, ?include=tags, filter[tags]); repeatable',
        option: 'belongsToMany',
        repeatable: true,
      },
      {
        flags: '--remove-belongs-to-many <Resource>',
        description:
          'unlink it from a resource it belongs to many of: a migration drops their pivot table and the links in it (repeatable)',
        option: 'removeBelongsToMany',
        repeatable: true,
      },
      {
        flags: '--remove',
        description:
          'remove the resource: its files, registrations and its table (a new migration drops it; migrations that never ran are deleted)',
        option: 'remove',
      },
    ],
    example:
      'fastpy make:resource Post -f title:string:required,max:200 -f body:text -m -p\n  fastpy make:resource Note -f text:text:required -m --owned\n  fastpy make:resource Post -f title:string:required -m --belongs-to-many Tag\n  fastpy make:resource Post --remove-belongs-to-many Tag --allow-data-loss\n  fastpy make:resource Post -f views:integer:default:0 --rename-field body:content --remove-field cover --allow-data-loss',
  },
  model: {
    generator: 'model',
    description: 'a model (its fields) and, with -m, the migration creating its table',
    argument: 'name',
    flags: [FIELD, ...CHANGE, MIGRATION],
    example: 'fastpy make:model Post -f title:string:required -m',
  },
  controller: {
    generator: 'controller',
    description: "a model's controller (and its service and repository if missing)",
    argument: 'name',
    flags: [],
    example: 'fastpy make:controller Post',
  },
  route: {
    generator: 'route',
    description: "a model's routes, registered in src/routes/index.ts",
    argument: 'name',
    flags: [{ ...PROTECTED, flags: '-p, --protected' }],
    example: 'fastpy make:route Post --protected',
  },
  service: {
    generator: 'service',
    description: "a model's service (and its repository if missing)",
    argument: 'name',
    flags: [],
    example: 'fastpy make:service Post',
  },
  repository: {
    generator: 'repository',
    description: "a model's repository",
    argument: 'name',
    flags: [],
    example: 'fastpy make:repository Post',
  },
  test: {
    generator: 'test',
    description: "a model's contract tests (and its routes and factory if missing)",
    argument: 'name',
    flags: [],
    example: 'fastpy make:test Post',
  },
  factory: {
    generator: 'factory',
    description: "a model's factory, registered in src/factories/index.ts",
    argument: 'name',
    flags: [],
    example: 'fastpy make:factory Post',
  },
  seeder: {
    generator: 'seeder',
    description: "a model's seeder (and its factory if missing)",
    argument: 'name',
    flags: [],
    example: 'fastpy make:seeder Post',
  },
  middleware: {
    generator: 'middleware',
    description: 'a Koa middleware, registered in src/middleware/index.ts',
    argument: 'name',
    flags: [],
    example: 'fastpy make:middleware Logging',
  },
  enum: {
    generator: 'enum',
    description: 'a typed enum in src/enums/',
    argument: 'name',
    flags: [{ flags: '-v, --value <value>', description: 'a value (repeatable)', option: 'value', repeatable: true }],
    example: 'fastpy make:enum Status -v active -v inactive',
  },
  exception: {
    generator: 'exception',
    description: 'an exception with its HTTP status and error code',
    argument: 'name',
    flags: [{ flags: '-s, --status <code>', description: 'HTTP status, 400-599 (default 400)', option: 'status' }],
    example: 'fastpy make:exception PaymentFailed -s 402',
  },
};

/** The generators of a resource's parts, which take --dry-run. */
const RESOURCE_GENERATORS = new Set([
  'resource',
  'model',
  'controller',
  'route',
  'service',
  'repository',
  'test',
  'factory',
  'seeder',
]);

const kebab = (option: string) => option.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The generator's command-line arguments for the parsed options. */
export function makeArguments(
  name: string | undefined,
  command: MakeCommand,
  options: Record<string, unknown>,
): string[] {
  const args = name === undefined ? [] : [name];
  for (const flag of command.flags) {
    const value = options[flag.option];
    if (value === undefined || (value === false && !flag.flags.startsWith('--no-'))) continue;
    if (flag.flags.startsWith('--no-')) {
      if (value === false) args.push(flag.flags);
      continue;
    }
    const option = kebab(flag.option);
    if (value === true) args.push(`--${option}`);
    else for (const item of ([] as unknown[]).concat(value)) args.push(`--${option}`, String(item));
  }
  if (options.yes) args.push('--yes');
  if (typeof options.config === 'string') args.push('--config', options.config);
  if (options.force) args.push('--force');
  if (options.dryRun && RESOURCE_GENERATORS.has(command.generator)) args.push('--dry-run');
  return args;
}

export function registerMake(program: Command): void {
  for (const [name, spec] of Object.entries(MAKE_COMMANDS)) {
    // A resource's name may be left out: the generator asks for it (on a terminal).
    const argument = RESOURCE_GENERATORS.has(spec.generator) ? `[${spec.argument}]` : `<${spec.argument}>`;
    const command = program
      .command(`make:${name}`)
      .description(spec.description)
      .argument(
        argument,
        name === 'resource' || name === 'model'
          ? 'singular, e.g. Post or BlogPost (asked for when left out)'
          : 'e.g. Post',
      );
    for (const flag of spec.flags) {
      const option = new Option(flag.flags, flag.description);
      if (flag.repeatable) option.argParser((value: string, all: string[] | undefined) => [...(all ?? []), value]);
      command.addOption(option);
    }
    if (RESOURCE_GENERATORS.has(spec.generator))
      command.option('--dry-run', 'show what would be written or changed, and change nothing');
    command
      .option('-y, --yes', 'take defaults instead of asking')
      .option('--config <json|file>', 'answers as inline JSON or a JSON file')
      .option('--force', "overwrite files you edited where fastpy's new output changes them too")
      .addHelpText('after', `\nExample:\n  ${spec.example}`)
      .action(async (argument: string | undefined, options: Record<string, unknown>) => {
        const runGenerator = await loadGenerators();
        await runGenerator(spec.generator, makeArguments(argument, spec, options), {
          invokedAs: `fastpy make:${name}`,
        });
      });
  }
}
