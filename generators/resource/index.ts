// `yo fastpy:resource <Name>` / `fastpy make:resource <Name> -f … -m -p`: a complete CRUD resource
// (model, migration, repository, service, controller, routes, tests, factory, seeder), wired in.
import { existsSync, readdirSync } from 'node:fs';
import { promptFields } from '../../lib/field-prompts.js';
import { FastpyGenerator } from '../../lib/generator-support.js';
import { requireProjectRoot } from '../../lib/project-root.js';
import { parseBoolean, UsageError, type QuestionSpec } from '../../lib/questions.js';
import { alterStatements, diffFields, migrationStamp, resourceContext, resourceNameProblem, resourceNames, type FieldChanges, type ResourceContext } from '../../lib/resource.js';
import { FieldSpecError, formatFieldSpec, parseFieldSpecs, type FieldDefinition } from '../../runtime/fields/spec.js';

interface StoredResource {
  fields: string[];
  protected: boolean;
  table: string;
  migrations: string[];
  /** SHA-256 of each file as fastpy last wrote it: a file that no longer matches was edited by the user. */
  checksums?: Record<string, string>;
}

const ROUTES_MARKER = '// fastpy:routes';
const FACTORIES_MARKER = '// fastpy:factories';

export default class ResourceGenerator extends FastpyGenerator {
  declare context: ResourceContext;
  declare migration: boolean;
  #written: string[] = [];
  #dropped: string[] = [];

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options);
    this.argument('name', { type: String, required: true, description: 'Resource name, singular: Post, BlogPost' });
    this.option('field', { type: (value: unknown) => value, alias: 'f', description: 'A field, name:type[:rules] (repeatable)' });
    this.option('migration', { type: Boolean, alias: 'm', description: 'Write the migration that creates the table' });
    this.option('protected', { type: Boolean, alias: 'p', description: 'Put every route behind a bearer token' });
  }

  initializing(): void {
    this.destinationRoot(requireProjectRoot(this.env.cwd, this.commandName('yo fastpy:resource')));
    const problem = resourceNameProblem(String(this.options.name));
    if (problem) throw new UsageError(problem, 'E_RESOURCE_NAME');
  }

  async prompting(): Promise<void> {
    const names = resourceNames(String(this.options.name));
    const fromOptions = ([] as unknown[]).concat(this.options.field ?? []).map(String).filter((spec) => spec.trim() !== '');
    let specs = fromOptions;
    const configured = this.readConfig() ?? {};
    if (specs.length === 0 && Array.isArray(configured.fields)) specs = configured.fields.map(String);

    let fields: FieldDefinition[];
    if (specs.length > 0) {
      try {
        fields = parseFieldSpecs(specs);
      } catch (error) {
        if (error instanceof FieldSpecError) throw new UsageError(`${error.message}\nNothing was written.`, error.code);
        throw error;
      }
    } else if (this.interactive && this.options.yes !== true) {
      fields = await promptFields((questions) => this.prompt(questions as never) as Promise<Record<string, unknown>>, (message) => this.log(message));
    } else {
      throw new UsageError(`No fields for ${names.className}: pass them with -f name:type[:rules] (repeatable), e.g. -f title:string:required,max:200 -f body:text`, 'E_NO_FIELDS');
    }
    if (fields.length === 0) throw new UsageError(`${names.className} needs at least one field`, 'E_NO_FIELDS');

    // With the fields on the command line, an absent -m / -p means no (as in fastpy's CLI).
    const options = { ...this.options };
    if (fromOptions.length > 0) {
      options.migration ??= false;
      options.protected ??= false;
    }
    const questions: QuestionSpec[] = [
      { name: 'protected', option: 'protected', type: 'confirm', message: 'Protect every route with a bearer token?', default: () => false, parse: parseBoolean },
      { name: 'migration', option: 'migration', type: 'confirm', message: 'Write the migration that creates the table?', default: () => true, parse: parseBoolean },
    ];
    const answers = await this.answer(questions, `${this.commandName('yo fastpy:resource')} ${names.className} -f title:string:required -m`, options);
    const resources = (this.config.get('resources') ?? {}) as Record<string, StoredResource>;
    const index = Object.keys(resources).includes(names.className) ? Object.keys(resources).indexOf(names.className) + 1 : Object.keys(resources).length + 1;
    this.context = resourceContext(names.className, fields, { protected: answers.protected === true, seedIndex: index });
    this.migration = answers.migration === true;
  }

  writing(): void {
    const c = this.context;
    const files: Array<[string, string]> = [
      ['model.ts.ejs', `src/models/${c.fileName}.ts`],
      ['repository.ts.ejs', `src/repositories/${c.fileName}-repository.ts`],
      ['service.ts.ejs', `src/services/${c.fileName}-service.ts`],
      ['controller.ts.ejs', `src/controllers/${c.fileName}-controller.ts`],
      ['routes.ts.ejs', `src/routes/${c.pluralFileName}.ts`],
      ['factory.ts.ejs', `src/factories/${c.fileName}-factory.ts`],
      ['seeder.ts.ejs', `src/seeders/${c.seedOrder}_${c.table}.ts`],
      ['test.ts.ejs', `tests/${c.pluralFileName}.test.ts`],
    ];
    const resources = (this.config.get('resources') ?? {}) as Record<string, StoredResource>;
    const previous = resources[c.className];
    const migrations = [...(previous?.migrations ?? [])];
    const directory = this.destinationPath('src/database/migrations');
    const existing = existsSync(directory) ? readdirSync(directory) : [];
    if (migrations.length === 0 && this.migration) {
      const file = `${migrationStamp(existing)}_create_${c.table}_table.ts`;
      files.push(['migration.ts.ejs', `src/database/migrations/${file}`]);
      migrations.push(file);
    } else if (migrations.length > 0 && previous) {
      // The table exists: changed fields become a new migration; the ones already written are never rewritten.
      const changes = diffFields(parseFieldSpecs(previous.fields), c.fields);
      if (changes.added.length + changes.dropped.length + changes.changed.length > 0) {
        const file = `${migrationStamp(existing)}_alter_${c.table}_table.ts`;
        this.fs.copyTpl(this.templatePath('alter-migration.ts.ejs'), this.destinationPath(`src/database/migrations/${file}`), { ...c, ...alterStatements(changes), summary: describeChanges(changes) } as never);
        this.#written.push(`src/database/migrations/${file}`);
        this.#dropped = changes.dropped.map((field) => field.name);
        migrations.push(file);
      }
    }
    for (const [template, target] of files) {
      this.fs.copyTpl(this.templatePath(template), this.destinationPath(target), c as never);
      this.#written.push(target);
    }
    this.guardConflicts(files.map(([, target]) => target), previous?.checksums);
    this.#register('src/routes/index.ts', ROUTES_MARKER, `import { ${c.camelName}Routes } from './${c.pluralFileName}.js';`, `  ${c.camelName}Routes,`);
    this.#register('src/factories/index.ts', FACTORIES_MARKER, `import { ${c.camelName}Factory } from './${c.fileName}-factory.js';`, `    ${c.table}: ${c.camelName}Factory as FactoryBuilder,`);
    this.config.set('resources', {
      ...resources,
      [c.className]: { fields: c.fields.map(formatFieldSpec), protected: c.protected, table: c.table, migrations, checksums: this.checksums(files.map(([, target]) => target)) },
    });
  }

  /**
   * Adds an import and a list entry to a registry file (before its marker line), once: running the
   * generator again never duplicates a registration.
   */
  #register(file: string, marker: string, importLine: string, entry: string): void {
    const path = this.destinationPath(file);
    if (!this.fs.exists(path)) throw new UsageError(`${file} is missing: it lists the project's ${marker.includes('routes') ? 'routers' : 'factories'}; restore it from a new project`, 'E_PROJECT_FILE');
    const text = this.fs.read(path)!;
    if (text.includes(importLine)) return;
    if (!text.includes(marker)) throw new UsageError(`${file} has no "${marker}" line, so fastpy cannot add ${entry.trim()} there; add the line back inside the list`, 'E_PROJECT_FILE');
    const lines = text.split('\n');
    const lastImport = lines.reduce((last, line, index) => (line.startsWith('import ') ? index : last), -1);
    lines.splice(lastImport + 1, 0, importLine);
    const markerIndex = lines.findIndex((line) => line.includes(marker));
    lines.splice(markerIndex, 0, entry);
    this.fs.write(path, lines.join('\n'));
    this.markOverwrite(file);
    this.#written.push(file);
  }

  end(): void {
    const c = this.context;
    this.log(
      [
        '',
        `${c.className}: ${c.routePath}${c.protected ? ' (protected)' : ''}, table ${c.table}, ${c.fields.length} field${c.fields.length === 1 ? '' : 's'}`,
        ...this.#written.map((file) => `  ${file}`),
        ...(this.#dropped.length > 0 ? ['', `Warning: the migration drops ${this.#dropped.join(', ')} from ${c.table}; their data is deleted when you migrate (a renamed field is a drop and an add).`] : []),
        '',
        'Next:',
        this.#written.some((file) => file.startsWith('src/database/migrations/')) ? '  npm run migrate' : `  write a migration for ${c.table} (or run again with -m), then npm run migrate`,
        `  npm test           # ${c.pluralFileName}.test.ts checks the whole contract`,
        '',
      ].join('\n'),
    );
  }
}

/** A one-line description of a field change, for the migration's header. */
function describeChanges(changes: FieldChanges): string {
  const parts = [
    changes.added.length > 0 ? `adds ${changes.added.map((field) => field.name).join(', ')}` : '',
    changes.dropped.length > 0 ? `drops ${changes.dropped.map((field) => field.name).join(', ')}` : '',
    changes.changed.length > 0 ? `changes ${changes.changed.map((change) => change.after.name).join(', ')}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}
