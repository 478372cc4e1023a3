// Commands run inside a project: `fastpy db:*` (db:create, db:migrate, …) and `fastpy route:list`. Each runs the project's own
// src/console.ts (with its settings, database and routes) through the project's tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { tableName } from '../../naming.js';
import { requireProjectRoot } from '../../project-root.js';
import { UsageError } from '../../questions.js';

/** Runs a console task in the project at or above the working directory; returns its exit code. */
export function runProjectTask(command: string, task: string, args: string[], cwd = process.cwd()): number {
  const root = requireProjectRoot(cwd, command);
  if (!existsSync(join(root, 'node_modules', 'tsx')))
    throw new UsageError(`${command} needs the project's dependencies: run npm install in ${root}`, 'E_NOT_INSTALLED');
  if (!existsSync(join(root, 'src', 'console.ts')))
    throw new UsageError(
      `${command} needs src/console.ts, which this project (made by an older fastpy) lacks: copy it from a new project`,
      'E_PROJECT_FILE',
    );
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/console.ts', task, ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

const positive = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`--${name} needs a whole number ≥ 1, got "${value}"`, 'E_USAGE');
  return value;
};

export function registerProjectCommands(program: Command): void {
  const task = (command: string, name: string, args: string[]) => {
    const code = runProjectTask(`fastpy ${command}`, name, args);
    if (code !== 0) process.exitCode = code;
  };

  program
    .command('db:create')
    .description('create the development and test databases (.env, .env.test) where they do not exist')
    .action(() => task('db:create', 'create', []));

  program
    .command('db:migrate')
    .description('run the migrations not yet run (knex migrate:latest)')
    .action(() => task('db:migrate', 'migrate', []));

  program
    .command('db:rollback')
    .description('undo the last migration, or the last N with --steps')
    .option('--steps <n>', 'how many migrations to undo', positive('steps'))
    .option('--all', 'undo every migration')
    .action((options: { steps?: string; all?: boolean }) =>
      task('db:rollback', 'rollback', [
        ...(options.steps ? ['--steps', options.steps] : []),
        ...(options.all ? ['--all'] : []),
      ]),
    );

  program
    .command('db:fresh')
    .description('drop every table and migrate again (asks for --force in production)')
    .option('--seed', 'run the seeders afterwards')
    .option('--force', 'run even when NODE_ENV is production')
    .action((options: { seed?: boolean; force?: boolean }) =>
      task('db:fresh', 'fresh', [...(options.seed ? ['--seed'] : []), ...(options.force ? ['--force'] : [])]),
    );

  program
    .command('db:seed')
    .description('run the seeders, or one with --seeder')
    .option('--seeder <name>', 'one seeder, by model (User, BlogPost) or file name')
    .option('--count <n>', 'records per seeder (SEED_COUNT)', positive('count'))
    .action((options: { seeder?: string; count?: string }) => {
      // A model name (BlogPost) becomes its table (blog_posts), the name seeder files carry.
      const seeder = options.seeder && /^[A-Z]/.test(options.seeder) ? tableName(options.seeder) : options.seeder;
      task('db:seed', 'seed', [
        ...(seeder ? ['--seeder', seeder] : []),
        ...(options.count ? ['--count', options.count] : []),
      ]);
    });

  program
    .command('user:admin <email>')
    .description('make that user an admin (the role requireRole("admin") lets through), or with --create a new admin')
    .option('--create', 'make the user when nobody has that e-mail (active and verified)')
    .option('--password <password>', "the new admin's password (with --create; better: FASTPY_ADMIN_PASSWORD)")
    .option('--name <name>', "the new admin's name (with --create; default: the e-mail's local part)")
    .action((email: string, options: { create?: boolean; password?: string; name?: string }) =>
      task('user:admin', 'admin', [
        '--email',
        email,
        ...(options.create ? ['--create'] : []),
        ...(options.password ? ['--password', options.password] : []),
        ...(options.name ? ['--name', options.name] : []),
      ]),
    );

  program
    .command('db:status')
    .description('how many migrations have run, and which are pending')
    .action(() => task('db:status', 'status', []));

  program
    .command('serve')
    .description('the development server, reloading on change (tsx watch src/server.ts)')
    .option('--port <port>', 'port to listen on (PORT)')
    .option('--host <host>', 'address to listen on (HOST)')
    .action((options: { port?: string; host?: string }) => {
      if (options.port !== undefined && !/^\d{1,5}$/.test(options.port))
        throw new UsageError(`--port must be a port number, got "${options.port}"`, 'E_USAGE');
      const root = requireProjectRoot(process.cwd(), 'fastpy serve');
      const tsx = join(root, 'node_modules', '.bin', 'tsx');
      if (!existsSync(tsx))
        throw new UsageError(
          `fastpy serve needs the project's dependencies: run npm install in ${root}`,
          'E_NOT_INSTALLED',
        );
      const env = {
        ...process.env,
        ...(options.port ? { PORT: options.port } : {}),
        ...(options.host ? { HOST: options.host } : {}),
      };
      // The project's dev runner (restarts on .env changes too); a project made before it has only tsx watch.
      const runner = join(root, 'scripts', 'dev.mjs');
      const [command, args] = existsSync(runner)
        ? [process.execPath, [runner]]
        : [tsx, ['watch', '--clear-screen=false', 'src/server.ts']];
      const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
      if (result.status) process.exitCode = result.status;
    });

  program
    .command('route:list')
    .description('every route: method, path, name, whether it needs a bearer token, handler')
    .option('--json', 'as JSON')
    .action((options: { json?: boolean }) => task('route:list', 'routes', options.json ? ['--json'] : []));
}
