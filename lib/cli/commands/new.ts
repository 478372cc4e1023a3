// `fastpy new <name>`: the project wizard (the same generator as `yo fastpy`).
import type { Command } from 'commander';
import { templatesAt, type RefTemplates } from '../../git-templates.js';
import { UsageError } from '../../questions.js';
import { detectInstall, type Install } from './upgrade.js';
import { loadGenerators } from '../generators.js';

/** The templates at a git ref of fastpy's own checkout; an npm install has no refs, and says so. */
export function refTemplates(ref: string, install: Install = detectInstall()): RefTemplates {
  if (install.kind !== 'git') {
    throw new UsageError(
      `--branch takes the templates from a branch of fastpy's git checkout, and this fastpy (${install.root}) was installed with npm, not from a checkout. Install from a checkout to use it (git clone <repository> && cd generator-fastpy && npm install && npm link), or leave --branch out.`,
      'E_BRANCH',
    );
  }
  return templatesAt(install.root, ref);
}

interface NewOptions {
  description?: string;
  db?: string;
  databaseUrl?: string;
  features?: string;
  redisUrl?: string;
  frontendUrl?: string;
  install?: boolean;
  skipInstall?: boolean;
  skipGit?: boolean;
  yes?: boolean;
  config?: string;
  force?: boolean;
  branch?: string;
}

/** The generator's command-line arguments for the parsed options. */
export function newArguments(name: string | undefined, options: NewOptions): string[] {
  const args = name ? [name] : [];
  const strings: [keyof NewOptions, string][] = [
    ['description', '--description'],
    ['db', '--db'],
    ['databaseUrl', '--database-url'],
    ['features', '--features'],
    ['redisUrl', '--redis-url'],
    ['frontendUrl', '--frontend-url'],
    ['config', '--config'],
  ];
  for (const [key, flag] of strings) {
    const value = options[key];
    if (typeof value === 'string') args.push(flag, value);
  }
  if (options.skipInstall) args.push('--skip-install');
  else if (options.install === true) args.push('--install');
  else if (options.install === false) args.push('--no-install');
  if (options.skipGit) args.push('--skip-git');
  if (options.yes) args.push('--yes');
  if (options.force) args.push('--force');
  return args;
}

export function registerNew(program: Command): void {
  program
    .command('new')
    .description('create a new Koa + Knex API project (the yo fastpy wizard)')
    .argument('[name]', 'project name; the project is written to ./<name>')
    .option('--description <text>', 'one-line description')
    .option('--db <database>', 'sqlite (default), postgresql or mysql')
    .option('--database-url <url>', 'connection URL (default depends on --db)')
    .option('--features <list>', 'comma-separated: rate-limit, docs, redis (or none)')
    .option('--redis-url <url>', 'REDIS_URL, with the redis feature (default redis://127.0.0.1:6379/0)')
    .option(
      '--frontend-url <url>',
      "FRONTEND_URL: the app that shows the e-mails' verify and reset pages (default: the API's own)",
    )
    .option('--install', 'install dependencies after writing')
    .option('--no-install', 'do not install dependencies')
    .option('--skip-install', 'do not install dependencies (same as --no-install)')
    .option('--skip-git', 'do not make a git repository with a first commit')
    .option('-y, --yes', 'take the default for every question not given by an option')
    .option('--config <json|file>', 'answers as inline JSON or a JSON file')
    .option('--force', 'write into a non-empty directory, overwriting files')
    .option('--branch <ref>', "take the templates from this git branch, tag or commit of fastpy's checkout")
    .action(async (name: string | undefined, options: NewOptions, command: Command) => {
      // commander sets install=true by default because of --no-install; only pass it when given.
      const given = command.getOptionValueSource('install') === 'cli' ? options.install : undefined;
      const templates = options.branch === undefined ? undefined : refTemplates(options.branch);
      try {
        const runGenerator = await loadGenerators();
        const generatorOptions = templates
          ? { templatesFrom: templates.dir, templatesRef: `${templates.ref} (${templates.commit.slice(0, 12)})` }
          : {};
        await runGenerator('app', newArguments(name, { ...options, install: given }), {
          invokedAs: 'fastpy new',
          generatorOptions,
        });
      } finally {
        templates?.cleanup();
      }
    });
}
