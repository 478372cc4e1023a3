// `yo fastpy [name]` / `fastpy new <name>`: asks about the project and writes a Koa + Knex
// TypeScript API (templates/, the framework's migrations, and a dependency on fastpy-runtime).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { BASE_DIR } from '../../lib/generated-files.js';
import { FastpyGenerator } from '../../lib/generator-support.js';
import { USER_MODEL, type StoredUsers } from '../../lib/resource-generator.js';
import { PRETTIER_OPTIONS } from '../../lib/format.js';
import {
  isRuntimePackage,
  PACKAGE_VERSION,
  RUNTIME_DIR,
  runtimeMigrations,
  runtimeSources,
  runtimeTarball,
  VENDOR_DIR,
} from '../../lib/package.js';
import { initialCommit } from '../../lib/project-git.js';
import {
  projectContext,
  projectPackageJson,
  projectQuestions,
  toProjectAnswers,
  type ProjectAnswers,
  type ProjectContext,
} from '../../lib/project.js';
import { UsageError } from '../../lib/questions.js';

/** The answers of a project this wizard made in `dir` whose dependencies were never installed, else undefined. */
function unfinishedProject(dir: string): Omit<ProjectAnswers, 'install'> | undefined {
  if (existsSync(join(dir, 'node_modules')) || !existsSync(join(dir, '.yo-rc.json'))) return undefined;
  try {
    const stored = (
      JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8')) as Record<string, Record<string, unknown>>
    )['generator-fastpy'];
    if (
      !stored ||
      typeof stored.name !== 'string' ||
      typeof stored.database !== 'string' ||
      typeof stored.databaseUrl !== 'string'
    )
      return undefined;
    const { install: _install, ...answers } = toProjectAnswers({ ...stored, install: true });
    return answers;
  } catch {
    return undefined;
  }
}

/** Entries that do not make a directory "not empty" for a new project. */
const IGNORABLE = new Set(['.git', '.DS_Store', 'Thumbs.db', '.idea', '.vscode']);

export default class AppGenerator extends FastpyGenerator {
  declare answers: ProjectAnswers;
  declare context: ProjectContext;
  declare files: string[];
  #installed = false;
  #databaseReady = false;
  #git: string | undefined;
  /** Run again on a project it made whose install did not finish: only install, databases, migrations. */
  #finishing = false;

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options);
    this.argument('name', { type: String, required: false, description: 'Project name (and folder to create)' });
    this.option('description', { type: String, description: 'One-line description' });
    this.option('db', { type: String, description: 'Database: sqlite (default), postgresql or mysql' });
    this.option('database-url', { type: String, description: 'Connection URL (default depends on --db)' });
    this.option('features', { type: String, description: 'Comma-separated: rate-limit, docs, redis (or none)' });
    this.option('redis-url', {
      type: String,
      description: 'REDIS_URL, with the redis feature (default redis://127.0.0.1:6379/0)',
    });
    this.option('frontend-url', {
      type: String,
      description:
        "FRONTEND_URL: the app that shows the e-mails' verify and reset pages (default: none, the API's own pages)",
    });
    this.option('install', {
      type: Boolean,
      description: 'Install dependencies after writing (default: ask, yes with --yes)',
    });
    this.option('skip-install', { type: Boolean, description: 'Do not install dependencies' });
    this.option('skip-git', { type: Boolean, description: 'Do not make a git repository with a first commit' });
    // `fastpy new --branch <ref>`: the templates and runtime of another version, extracted there.
    if (typeof this.options.templatesFrom === 'string')
      this.sourceRoot(join(this.options.templatesFrom, 'generators', 'app', 'templates'));
  }

  /** The runtime: this package's, or the one of `fastpy new --branch`. */
  get runtimeDir(): string {
    return typeof this.options.templatesFrom === 'string' ? join(this.options.templatesFrom, 'runtime') : RUNTIME_DIR;
  }

  async prompting(): Promise<void> {
    const named = typeof this.options.name === 'string' && this.options.name !== '';
    // A name given as an argument is a new folder; otherwise the project is written here. Checked
    // before any question: a folder in the way is refused before the user answers anything.
    const target = named ? resolve(this.env.cwd, String(this.options.name)) : this.env.cwd;
    if (!this.options.force && existsSync(target) && readdirSync(target).some((entry) => !IGNORABLE.has(entry))) {
      const where = relative(this.env.cwd, target) || 'The current directory';
      // A project this wizard made whose install never finished: offer to finish it rather than refuse.
      const unfinished =
        this.options.skipInstall === true || this.options['skip-install'] === true || this.options.install === false
          ? undefined
          : unfinishedProject(target);
      if (!unfinished)
        throw new UsageError(
          `${where} is not empty: choose another project name or folder (or pass --force to write into it).`,
          'E_NOT_EMPTY',
        );
      const finish =
        this.options.yes === true ||
        (this.interactive &&
          (
            await this.prompt<{ finish: boolean }>([
              {
                type: 'confirm',
                name: 'finish',
                message: `${where} was made by fastpy, but its dependencies are not installed. Finish it now (npm install, the databases, the migrations)?`,
                default: true,
              },
            ])
          ).finish);
      if (!finish) {
        throw new UsageError(
          `${where} was made by fastpy but is not finished: run this again with --yes to finish it (npm install, the databases, the migrations), or choose another project name or folder.`,
          'E_UNFINISHED',
        );
      }
      this.#finishing = true;
      this.answers = { ...unfinished, install: true };
      this.context = projectContext(this.answers, PACKAGE_VERSION);
      this.destinationRoot(target);
      return;
    }
    const options = { ...this.options };
    if (this.options.skipInstall === true || this.options['skip-install'] === true) options.install = false;
    const answers = toProjectAnswers(
      await this.answer(projectQuestions(this.env.cwd), `${this.commandName('yo fastpy')} my-api`, options),
    );
    this.answers = answers;
    this.context = projectContext(answers, PACKAGE_VERSION);
    this.destinationRoot(target);
  }

  configuring(): void {
    if (this.#finishing) return;
    const { install: _install, ...kept } = this.answers;
    this.config.set({
      ...kept,
      generatorVersion: PACKAGE_VERSION,
      ...(typeof this.options.templatesRef === 'string' ? { templatesRef: this.options.templatesRef } : {}),
      resources: this.config.get('resources') ?? {},
    });
  }

  /** A new project is formatted as the .prettierrc.json it gets, whatever Prettier settings lie above it. */
  protected override get formatOptions(): typeof PRETTIER_OPTIONS {
    return PRETTIER_OPTIONS;
  }

  async writing(): Promise<void> {
    if (this.#finishing) return;
    // The runtime: the fastpy-runtime package, its packed tarball in vendor/ (a `file:` dependency,
    // so the project installs from the registry plus that file); or, from the templates of a version
    // before 0.2 (`fastpy new --branch`), its sources copied into src/.
    const packaged = isRuntimePackage(this.runtimeDir);
    const tarball = packaged ? runtimeTarball(this.runtimeDir) : undefined;
    if (tarball && !existsSync(tarball.path)) {
      throw new UsageError(
        `the packed runtime ${tarball.path} is missing: run npm run build in ${join(this.runtimeDir, '..')} first`,
        'E_NOT_BUILT',
      );
    }
    const vendored = tarball ? `${VENDOR_DIR}/${tarball.name}` : undefined;
    this.fs.writeJSON(
      this.destinationPath('package.json'),
      projectPackageJson(this.context, vendored && `file:${vendored}`),
    );
    this.fs.writeJSON(this.destinationPath('.prettierrc.json'), PRETTIER_OPTIONS);
    if (tarball && vendored) this.fs.copy(tarball.path, this.destinationPath(vendored));
    // The project owns its migrations, the framework's tables' too: they are its history.
    const sources = new Set(packaged ? runtimeMigrations(this.runtimeDir) : runtimeSources(this.runtimeDir));
    this.files = [
      'package.json',
      '.prettierrc.json',
      ...(vendored ? [vendored] : []),
      ...this.writeTree(this.templatePath(), '.', this.context),
      ...this.writeTree(this.runtimeDir, 'src', this.context, (file) => sources.has(file)),
    ];
    await this.formatFiles();
    this.#keepUserModel();
  }

  /**
   * The User model is a generated file of the project's (make:resource User changes its fields):
   * what was written is kept as the base of the next three-way merge, as a resource's files are.
   */
  #keepUserModel(): void {
    const model = this.fs.read(this.destinationPath(USER_MODEL.file), { defaults: null });
    if (model === null) return; // the templates of a version before 0.2 (fastpy new --branch)
    this.fs.write(this.destinationPath(BASE_DIR, USER_MODEL.file), model);
    const users: StoredUsers = { fields: [], migrations: [], checksums: this.checksums({ [USER_MODEL.file]: model }) };
    this.config.set('users', users);
    this.files.push(join(BASE_DIR, USER_MODEL.file));
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
      const task = (name: string) =>
        this.spawn(process.execPath, ['--import', 'tsx', 'src/console.ts', name], {
          cwd: this.destinationRoot(),
          stdio: 'inherit',
        }).then(
          () => true,
          () => false,
        );
      this.#databaseReady = (this.answers.database === 'sqlite' || (await task('create'))) && (await task('migrate'));
      if (!this.#databaseReady)
        this.log('\nThe database is not ready yet: the line above says why. The steps below finish the job.');
    }
    // Last, so that the first commit holds the project as it was made (what install wrote is ignored).
    if (
      this.options.skipGit !== true &&
      this.options['skip-git'] !== true &&
      !(this.#finishing && existsSync(this.destinationPath('.git')))
    )
      this.#git = initialCommit(
        this.destinationRoot(),
        `Initial commit: ${this.answers.name} from generator-fastpy ${PACKAGE_VERSION}`,
      ).note;
    this.log(this.#summary());
  }

  #summary(): string {
    const where = relative(this.env.cwd, this.destinationRoot()) || '.';
    const steps = [
      where === '.' ? undefined : `cd ${where}`,
      this.#installed ? undefined : 'npm install',
      // A database on a server is made first (SQLite makes its file itself).
      this.#databaseReady || this.answers.database === 'sqlite'
        ? undefined
        : 'npm run db:create   # the development and test databases',
      this.#databaseReady ? undefined : 'npm run migrate',
      'npm run dev        # http://127.0.0.1:8000/health/',
      'npm test',
    ].filter(Boolean);
    return [
      '',
      this.#finishing
        ? `Finished ${this.answers.name} (${this.answers.database}) in ${where}: its files were already there`
        : `Created ${this.answers.name} (${this.answers.database}) in ${where}: ${this.files.length} files`,
      ...(isRuntimePackage(this.runtimeDir)
        ? [
            '  src/server.ts, src/bootstrap.ts  the HTTP listener and the services it shares',
            '  src/routes, src/middleware       your routers and middleware (make:resource adds to them)',
            '  src/config, src/database         settings from .env; the migrations',
            `  ${VENDOR_DIR}/fastpy-runtime-*.tgz      the framework (auth, envelopes, errors, facades): fastpy-runtime`,
          ]
        : [
            '  src/app.ts, src/server.ts     the app factory and the HTTP listener',
            '  src/config, src/database      settings from .env; Knex and migrations',
            '  src/middleware, src/utils     request id, timing, rate limit, errors, envelopes',
          ]),
      "  tests/                           the project's own test suite (ava)",
      ...(this.#git ? ['', this.#git] : []),
      '',
      'Next:',
      ...steps.map((step) => `  ${step}`),
      '',
    ].join('\n');
  }
}
