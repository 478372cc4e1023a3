// `yo fastpy [name]` / `fastpy new <name>`: asks about the project and writes a Koa + Knex
// TypeScript API (templates/ plus the shared runtime/ copied into src/).
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { FastpyGenerator } from '../../lib/generator-support.js';
import { PACKAGE_VERSION, RUNTIME_DIR } from '../../lib/package.js';
import { projectContext, projectPackageJson, projectQuestions, toProjectAnswers, type ProjectAnswers, type ProjectContext } from '../../lib/project.js';
import { UsageError } from '../../lib/questions.js';

/** Entries that do not make a directory "not empty" for a new project. */
const IGNORABLE = new Set(['.git', '.DS_Store', 'Thumbs.db', '.idea', '.vscode']);

export default class AppGenerator extends FastpyGenerator {
  declare answers: ProjectAnswers;
  declare context: ProjectContext;
  declare files: string[];
  #installed = false;
  #databaseReady = false;

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options);
    this.argument('name', { type: String, required: false, description: 'Project name (and folder to create)' });
    this.option('description', { type: String, description: 'One-line description' });
    this.option('db', { type: String, description: 'Database: sqlite (default), postgresql or mysql' });
    this.option('database-url', { type: String, description: 'Connection URL (default depends on --db)' });
    this.option('features', { type: String, description: 'Comma-separated: rate-limit, docs, redis (or none)' });
    this.option('redis-url', { type: String, description: 'REDIS_URL, with the redis feature (default redis://127.0.0.1:6379/0)' });
    this.option('install', { type: Boolean, description: 'Install dependencies after writing (default: ask, yes with --yes)' });
    this.option('skip-install', { type: Boolean, description: 'Do not install dependencies' });
    // `fastpy new --branch <ref>`: the templates and runtime of another version, extracted there.
    if (typeof this.options.templatesFrom === 'string') this.sourceRoot(join(this.options.templatesFrom, 'generators', 'app', 'templates'));
  }

  /** The runtime copied into src/: this package's, or the one of `fastpy new --branch`. */
  get runtimeDir(): string {
    return typeof this.options.templatesFrom === 'string' ? join(this.options.templatesFrom, 'runtime') : RUNTIME_DIR;
  }

  async prompting(): Promise<void> {
    const named = typeof this.options.name === 'string' && this.options.name !== '';
    // A name given as an argument is a new folder; otherwise the project is written here. Checked
    // before any question: a folder in the way is refused before the user answers anything.
    const target = named ? resolve(this.env.cwd, String(this.options.name)) : this.env.cwd;
    if (!this.options.force && existsSync(target) && readdirSync(target).some((entry) => !IGNORABLE.has(entry))) {
      throw new UsageError(`${relative(this.env.cwd, target) || 'The current directory'} is not empty: choose another project name or folder (or pass --force to write into it).`, 'E_NOT_EMPTY');
    }
    const options = { ...this.options };
    if (this.options.skipInstall === true || this.options['skip-install'] === true) options.install = false;
    const answers = toProjectAnswers(await this.answer(projectQuestions(this.env.cwd), `${this.commandName('yo fastpy')} my-api`, options));
    this.answers = answers;
    this.context = projectContext(answers, PACKAGE_VERSION);
    this.destinationRoot(target);
  }

  configuring(): void {
    const { install: _install, ...kept } = this.answers;
    this.config.set({ ...kept, generatorVersion: PACKAGE_VERSION, ...(typeof this.options.templatesRef === 'string' ? { templatesRef: this.options.templatesRef } : {}), resources: this.config.get('resources') ?? {} });
  }

  writing(): void {
    this.fs.writeJSON(this.destinationPath('package.json'), projectPackageJson(this.context));
    this.files = [
      'package.json',
      ...this.writeTree(this.templatePath(), '.', this.context),
      // runtime/libs/usage/ are the examples `fastpy libs <name> --usage` prints, not project code.
      ...this.writeTree(this.runtimeDir, 'src', this.context, (file) => file.endsWith('.ts') && !file.startsWith('libs/usage/')),
    ];
  }

  async install(): Promise<void> {
    if (!this.answers.install) return;
    this.log('\nInstalling dependencies (npm install)…');
    await this.spawn('npm', ['install', '--no-audit', '--no-fund'], { cwd: this.destinationRoot(), stdio: 'inherit' });
    this.#installed = true;
  }

  async end(): Promise<void> {
    if (this.#installed) {
      // The project's own tasks: they say in one line what stops them (no server, no right to create).
      const task = (name: string) => this.spawn(process.execPath, ['--import', 'tsx', 'src/console.ts', name], { cwd: this.destinationRoot(), stdio: 'inherit' }).then(() => true, () => false);
      this.#databaseReady = (this.answers.database === 'sqlite' || (await task('create'))) && (await task('migrate'));
      if (!this.#databaseReady) this.log('\nThe database is not ready yet: the line above says why. The steps below finish the job.');
    }
    this.log(this.#summary());
  }

  #summary(): string {
    const where = relative(this.env.cwd, this.destinationRoot()) || '.';
    const steps = [
      where === '.' ? undefined : `cd ${where}`,
      this.#installed ? undefined : 'npm install',
      // A database on a server is made first (SQLite makes its file itself).
      this.#databaseReady || this.answers.database === 'sqlite' ? undefined : 'npm run db:create   # the development and test databases',
      this.#databaseReady ? undefined : 'npm run migrate',
      'npm run dev        # http://127.0.0.1:8000/health/',
      'npm test',
    ].filter(Boolean);
    return [
      '',
      `Created ${this.answers.name} (${this.answers.database}) in ${where}: ${this.files.length} files`,
      '  src/app.ts, src/server.ts     the app factory and the HTTP listener',
      '  src/config, src/database      settings from .env; Knex and migrations',
      '  src/middleware, src/utils     request id, timing, rate limit, errors, envelopes',
      '  tests/                        the project\'s own test suite (ava)',
      '',
      'Next:',
      ...steps.map((step) => `  ${step}`),
      '',
    ].join('\n');
  }
}
