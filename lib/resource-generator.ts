// The generators of a resource and of its parts (make:resource, make:model, make:controller, …):
// one class, told which parts to write. A part's prerequisites are written too when missing, so
// the generated code always compiles; the model's fields are kept in .yo-rc.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FieldSpecError, formatFieldSpec, parseFieldSpecs, type FieldDefinition } from '../runtime/fields/spec.js';
import { promptFields } from './field-prompts.js';
import { checksum, FastpyGenerator, type GeneratorOptions } from './generator-support.js';
import { PACKAGE_ROOT } from './package.js';
import { parseBoolean, UsageError, type QuestionSpec } from './questions.js';
import { alterStatements, diffFields, migrationStamp, resourceContext, resourceNameProblem, resourceNames, type FieldChanges, type KnownModels, type ResourceContext } from './resource.js';

export const PARTS = ['model', 'repository', 'service', 'controller', 'route', 'factory', 'seeder', 'test'] as const;
export type Part = (typeof PARTS)[number];

/** What each part needs to compile. */
const PREREQUISITES: Record<Part, Part[]> = {
  model: [],
  repository: ['model'],
  service: ['repository'],
  controller: ['service'],
  route: ['controller'],
  factory: ['model'],
  seeder: ['factory'],
  test: ['route', 'factory'],
};

/** Template and target of each part. */
const FILES: Record<Part, { template: string; target: (c: ResourceContext) => string }> = {
  model: { template: 'model.ts.ejs', target: (c) => `src/models/${c.fileName}.ts` },
  repository: { template: 'repository.ts.ejs', target: (c) => `src/repositories/${c.fileName}-repository.ts` },
  service: { template: 'service.ts.ejs', target: (c) => `src/services/${c.fileName}-service.ts` },
  controller: { template: 'controller.ts.ejs', target: (c) => `src/controllers/${c.fileName}-controller.ts` },
  route: { template: 'routes.ts.ejs', target: (c) => `src/routes/${c.pluralFileName}.ts` },
  factory: { template: 'factory.ts.ejs', target: (c) => `src/factories/${c.fileName}-factory.ts` },
  seeder: { template: 'seeder.ts.ejs', target: (c) => `src/seeders/${c.seedOrder}_${c.table}.ts` },
  test: { template: 'test.ts.ejs', target: (c) => `tests/${c.pluralFileName}.test.ts` },
};

/** What .yo-rc.json keeps of each resource. */
export interface StoredResource {
  fields: string[];
  protected: boolean;
  table: string;
  migrations: string[];
  /** SHA-256 of each file as fastpy last wrote it: a file that no longer matches was edited by the user. */
  checksums?: Record<string, string>;
}

const ROUTES_MARKER = '// fastpy:routes';
const FACTORIES_MARKER = '// fastpy:factories';

/** The parts a request needs: the requested ones and, transitively, their prerequisites. */
export function withPrerequisites(parts: readonly Part[]): Part[] {
  const all = new Set<Part>();
  const visit = (part: Part) => {
    if (all.has(part)) return;
    all.add(part);
    for (const prerequisite of PREREQUISITES[part]) visit(prerequisite);
  };
  parts.forEach(visit);
  return PARTS.filter((part) => all.has(part));
}

/** One-line description of a field change, for the migration's header. */
function describeChanges(changes: FieldChanges): string {
  return [
    changes.added.length > 0 ? `adds ${changes.added.map((field) => field.name).join(', ')}` : '',
    changes.dropped.length > 0 ? `drops ${changes.dropped.map((field) => field.name).join(', ')}` : '',
    changes.changed.length > 0 ? `changes ${changes.changed.map((change) => change.after.name).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

export interface PartsGeneratorSpec {
  /** The parts this generator writes (their prerequisites are added when missing). */
  parts: readonly Part[];
  /** How users call it, for messages: `yo fastpy:model`. */
  command: string;
}

/**
 * Base of the resource generators. Subclasses only say which parts they write.
 *
 * @example
 * export default class ControllerGenerator extends ResourcePartsGenerator {
 *   static override spec = { parts: ['controller'], command: 'yo fastpy:controller' };
 * }
 */
export abstract class ResourcePartsGenerator extends FastpyGenerator {
  static spec: PartsGeneratorSpec;
  declare context: ResourceContext;
  declare migration: boolean;
  #written: string[] = [];
  #removed: string[] = [];
  #dropped: string[] = [];

  constructor(args: string[], options: Record<string, unknown>) {
    // Tasks (initializing, prompting, …) are defined here, on the shared base class.
    super(args, options, { inheritTasks: true });
    this.argument('name', { type: String, required: true, description: 'Resource name, singular: Post, BlogPost' });
    if (this.definesFields) {
      this.option('field', { type: (value: unknown) => value, alias: 'f', description: 'A field, name:type[:rules] (repeatable)' });
      this.option('migration', { type: Boolean, alias: 'm', description: 'Write the migration that creates the table' });
    }
    if (this.spec.parts.includes('route')) this.option('protected', { type: Boolean, alias: 'p', description: 'Put every route behind a bearer token' });
    if (this.spec.parts.length === PARTS.length) this.option('remove', { type: Boolean, description: 'Remove the resource: its files, its registrations, and (in a new migration) its table' });
    this.option('dry-run', { type: Boolean, description: 'Show what would be written or changed, and change nothing' });
    // Templates are shared by every resource generator.
    this.sourceRoot(join(PACKAGE_ROOT, 'generators', 'resource', 'templates'));
  }

  get spec(): PartsGeneratorSpec {
    return (this.constructor as typeof ResourcePartsGenerator).spec;
  }

  /** Only the model (and so the whole resource) defines the fields. */
  get definesFields(): boolean {
    return this.spec.parts.includes('model');
  }

  private get resources(): Record<string, StoredResource> {
    return (this.config.get('resources') ?? {}) as Record<string, StoredResource>;
  }

  initializing(): void {
    this.enterProject(this.spec.command);
    const problem = resourceNameProblem(String(this.options.name));
    if (problem) throw new UsageError(problem, 'E_RESOURCE_NAME');
  }

  async prompting(): Promise<void> {
    const names = resourceNames(String(this.options.name));
    const stored = this.resources[names.className];
    const command = this.commandName(this.spec.command);
    if (this.options.remove === true) return this.#confirmRemoval(names.className, stored, command);
    const fromOptions = this.definesFields ? ([] as unknown[]).concat(this.options.field ?? []).map(String).filter((spec) => spec.trim() !== '') : [];
    const fields = this.definesFields ? await this.#fields(names.className, fromOptions) : this.#storedFields(names.className, stored, command);

    // With the fields on the command line, an absent -m / -p means no (as in fastpy's CLI).
    const options: GeneratorOptions = { ...this.options };
    if (fromOptions.length > 0) {
      options.migration ??= false;
      options.protected ??= false;
    }
    const questions: QuestionSpec[] = [];
    if (this.spec.parts.includes('route')) {
      questions.push({ name: 'protected', option: 'protected', type: 'confirm', message: 'Protect every route with a bearer token?', default: () => stored?.protected ?? false, parse: parseBoolean });
    }
    if (this.definesFields && !(stored?.migrations.length)) {
      questions.push({ name: 'migration', option: 'migration', type: 'confirm', message: 'Write the migration that creates the table?', default: () => true, parse: parseBoolean });
    }
    const answers = await this.answer(questions, `${command} ${names.className}${this.definesFields ? ' -f title:string:required -m' : ''}`, options);
    const order = Object.keys(this.resources);
    const seedIndex = order.includes(names.className) ? order.indexOf(names.className) + 1 : order.length + 1;
    const protectedRoutes = 'protected' in answers ? answers.protected === true : (stored?.protected ?? false);
    this.context = resourceContext(names.className, fields, { protected: protectedRoutes, seedIndex, models: this.#knownModels() });
    this.migration = answers.migration === true;
  }

  /** Models foreign keys can point at: the built-in User and the project's resources. */
  #knownModels(): KnownModels {
    const models: KnownModels = { users: { className: 'User', fileName: 'user' } };
    for (const [className, resource] of Object.entries(this.resources)) models[resource.table] = { className, fileName: resourceNames(className).fileName };
    return models;
  }

  async #fields(className: string, fromOptions: string[]): Promise<FieldDefinition[]> {
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
      throw new UsageError(`No fields for ${className}: pass them with -f name:type[:rules] (repeatable), e.g. -f title:string:required,max:200 -f body:text`, 'E_NO_FIELDS');
    }
    if (fields.length === 0) throw new UsageError(`${className} needs at least one field`, 'E_NO_FIELDS');
    return fields;
  }

  async #confirmRemoval(className: string, stored: StoredResource | undefined, command: string): Promise<void> {
    if (!stored) throw new UsageError(`There is no ${className} resource to remove (it is not in .yo-rc.json)`, 'E_NO_MODEL');
    const referencing = Object.entries(this.resources)
      .filter(([name]) => name !== className)
      .flatMap(([name, resource]) => parseFieldSpecs(resource.fields).filter((field) => field.rules.foreign?.table === stored.table).map((field) => `${name}.${field.name}`));
    if (referencing.length > 0) {
      throw new UsageError(`Cannot remove ${className}: ${referencing.join(', ')} refer${referencing.length === 1 ? 's' : ''} to its table ${stored.table}. Remove those fields (or resources) first. Nothing was removed.`, 'E_REFERENCED');
    }
    const order = Object.keys(this.resources);
    this.context = resourceContext(className, parseFieldSpecs(stored.fields), { protected: stored.protected, seedIndex: order.indexOf(className) + 1, models: this.#knownModels() });
    if (this.options.yes === true || this.options.force === true || this.dryRun) return;
    if (!this.interactive) {
      throw new UsageError(`Removing ${className} deletes its files and writes a migration that drops ${stored.table}. No terminal is here to confirm: pass --yes to go ahead (or --dry-run to see what would change), e.g. ${command} ${className} --remove --yes`, 'E_NO_TTY');
    }
    const { confirmed } = await this.prompt([{ type: 'confirm', name: 'confirmed', message: `Remove ${className}: delete its files and write a migration that drops ${stored.table} (its rows are deleted when you migrate)?`, default: false }] as never);
    if (confirmed !== true) throw new UsageError(`${className} was not removed.`, 'E_CANCELLED');
  }

  #storedFields(className: string, stored: StoredResource | undefined, command: string): FieldDefinition[] {
    if (!stored) {
      const make = command.startsWith('fastpy') ? 'fastpy make:model' : 'yo fastpy:model';
      throw new UsageError(`There is no ${className} model yet (its fields are not in .yo-rc.json): create it first with \`${make} ${className} -f name:type[:rules] -m\`, or the whole resource with make:resource.`, 'E_NO_MODEL');
    }
    return parseFieldSpecs(stored.fields);
  }

  writing(): void {
    if (this.options.remove === true) return this.#remove();
    const c = this.context;
    const previous = this.resources[c.className];
    // Requested parts are (re)written; prerequisites only when their file is missing.
    const parts = withPrerequisites(this.spec.parts).filter((part) => this.spec.parts.includes(part) || !existsSync(this.destinationPath(FILES[part].target(c))));
    const files: Array<[string, string]> = parts.map((part) => [FILES[part].template, FILES[part].target(c)]);
    const migrations = [...(previous?.migrations ?? [])];
    if (this.definesFields) this.#migration(c, previous, migrations, files);
    for (const [template, target] of files) {
      this.fs.copyTpl(this.templatePath(template), this.destinationPath(target), c as never);
      this.#written.push(target);
    }
    this.guardConflicts(files.map(([, target]) => target), previous?.checksums);
    if (parts.includes('route')) this.#written.push(...this.registerIn('src/routes/index.ts', ROUTES_MARKER, `import { ${c.camelName}Routes } from './${c.pluralFileName}.js';`, `  ${c.camelName}Routes,`));
    if (parts.includes('factory')) this.#written.push(...this.registerIn('src/factories/index.ts', FACTORIES_MARKER, `import { ${c.camelName}Factory } from './${c.fileName}-factory.js';`, `    ${c.table}: ${c.camelName}Factory as FactoryBuilder,`));
    if (this.dryRun) return this.discardForDryRun();
    this.config.set('resources', {
      ...this.resources,
      [c.className]: {
        fields: c.fields.map(formatFieldSpec),
        protected: c.protected,
        table: c.table,
        migrations,
        checksums: { ...previous?.checksums, ...this.checksums(files.map(([, target]) => target)) },
      },
    });
  }

  /** The create migration (first time, with -m), or an alter migration when the fields changed. */
  #migration(c: ResourceContext, previous: StoredResource | undefined, migrations: string[], files: Array<[string, string]>): void {
    const directory = this.destinationPath('src/database/migrations');
    const existing = existsSync(directory) ? readdirSync(directory) : [];
    if (migrations.length === 0) {
      if (!this.migration) return;
      const file = `${migrationStamp(existing)}_create_${c.table}_table.ts`;
      files.push(['migration.ts.ejs', `src/database/migrations/${file}`]);
      migrations.push(file);
      return;
    }
    // The table exists: changed fields become a new migration; the ones already written are never rewritten.
    const changes = diffFields(parseFieldSpecs(previous!.fields), c.fields);
    if (changes.added.length + changes.dropped.length + changes.changed.length === 0) return;
    const file = `${migrationStamp(existing)}_alter_${c.table}_table.ts`;
    this.fs.copyTpl(this.templatePath('alter-migration.ts.ejs'), this.destinationPath(`src/database/migrations/${file}`), { ...c, ...alterStatements(changes), summary: describeChanges(changes) } as never);
    this.#written.push(`src/database/migrations/${file}`);
    this.plan.push({ file: `src/database/migrations/${file}`, action: 'create' });
    this.#dropped = changes.dropped.map((field) => field.name);
    migrations.push(file);
  }

  /** Deletes the resource's generated files and registrations, and writes the migration dropping its table. */
  #remove(): void {
    const c = this.context;
    const stored = this.resources[c.className]!;
    const generated = Object.keys(stored.checksums ?? {}).filter((file) => !file.startsWith('src/database/migrations/') && existsSync(this.destinationPath(file)));
    const edited = generated.filter((file) => checksum(readFileSync(this.destinationPath(file), 'utf8')) !== stored.checksums![file]);
    if (edited.length > 0 && this.options.force !== true && !this.dryRun) {
      throw new UsageError(`These files of ${c.className} were changed since fastpy wrote them: ${edited.join(', ')}. Pass --force to delete them anyway. Nothing was removed.`, 'E_CONFLICT');
    }
    for (const file of generated) {
      this.fs.delete(this.destinationPath(file));
      this.markOverwrite(file);
      this.plan.push({ file, action: 'delete' });
      this.#removed.push(file);
    }
    this.unregisterIn('src/routes/index.ts', `import { ${c.camelName}Routes } from './${c.pluralFileName}.js';`, `  ${c.camelName}Routes,`);
    this.unregisterIn('src/factories/index.ts', `import { ${c.camelName}Factory } from './${c.fileName}-factory.js';`, `    ${c.table}: ${c.camelName}Factory as FactoryBuilder,`);
    if (stored.migrations.length > 0) {
      const directory = this.destinationPath('src/database/migrations');
      const file = `src/database/migrations/${migrationStamp(existsSync(directory) ? readdirSync(directory) : [])}_drop_${c.table}_table.ts`;
      this.fs.copyTpl(this.templatePath('drop-migration.ts.ejs'), this.destinationPath(file), c as never);
      this.plan.push({ file, action: 'create' });
      this.#written.push(file);
    }
    if (this.dryRun) return this.discardForDryRun();
    const { [c.className]: _removed, ...rest } = this.resources;
    this.config.set('resources', rest);
  }

  end(): void {
    if (this.dryRun) return;
    const c = this.context;
    if (this.options.remove === true) {
      this.log(['', `${c.className} removed:`, ...this.#removed.map((file) => `  deleted ${file}`), ...this.#written.map((file) => `  ${file} drops ${c.table} when you migrate (its rows are deleted)`), '', 'Next:', '  npm run migrate', ''].join('\n'));
      return;
    }
    const migrated = this.#written.some((file) => file.startsWith('src/database/migrations/'));
    const needsTable = this.definesFields && !migrated && !this.resources[c.className]?.migrations.length;
    this.log(
      [
        '',
        `${c.className}: table ${c.table}, ${c.fields.length} field${c.fields.length === 1 ? '' : 's'}${this.#written.some((file) => file.startsWith('src/routes/')) ? `, routes ${c.routePath}${c.protected ? ' (protected)' : ''}` : ''}`,
        ...this.#written.map((file) => `  ${file}`),
        ...(this.#dropped.length > 0 ? ['', `Warning: the migration drops ${this.#dropped.join(', ')} from ${c.table}; their data is deleted when you migrate (a renamed field is a drop and an add).`] : []),
        '',
        'Next:',
        ...(migrated ? ['  npm run migrate'] : []),
        ...(needsTable ? [`  write a migration for ${c.table} (or run again with -m), then npm run migrate`] : []),
        '  npm test',
        '',
      ].join('\n'),
    );
  }
}
