// The generators of a resource and of its parts (make:resource, make:model, make:controller, …):
// one class, told which parts to write. A part's prerequisites are written too when missing, so
// the generated code always compiles; the model's fields are kept in .yo-rc.json. Run again on a
// resource, it changes it: fields are added, changed, renamed or removed only as asked, the table
// follows in a new migration, and what can lose data is named and confirmed before anything is written.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FieldSpecError, formatFieldSpec, parseFieldSpecs, type FieldDefinition } from '../runtime/fields/spec.js';
import { AUTH_USER_COLUMNS } from '../runtime/models/user.js';
import { fieldWizard, type FieldWizardContext } from './field-prompts.js';
import { BASE_DIR, checksum } from './generated-files.js';
import { FastpyGenerator, type GeneratorOptions } from './generator-support.js';
import { PACKAGE_ROOT } from './package.js';
import { inspectProjectDatabase } from './project-database.js';
import { parseBoolean, UsageError, type QuestionSpec } from './questions.js';
import {
  describeSteps,
  parseRenames,
  planFieldChange,
  ResourceChangeError,
  type ChangeFacts,
  type DataRisk,
  type FieldChangeRequest,
  type KnownTables,
  type SchemaPlan,
} from './resource-change.js';
import { pinnedNames } from './features.js';
import {
  migrationHelpers,
  migrationPlan,
  migrationStamp,
  resourceContext,
  resourceNameProblem,
  resourceNames,
  type KnownModels,
  type ResourceContext,
  type ResourceNames,
  type ResourceSet,
  type RuntimeCapabilities,
  OWNER_FIELD,
  pivotTable,
  tableColumns,
  USER_CLASS,
  userModelContext,
} from './resource.js';

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
  /** Its records are their creator's (Model.owner: user_id); its routes are then protected too. */
  owned?: boolean;
  /** The resources it belongs to many of (`--belongs-to-many Tag`), linked through a pivot table each. */
  belongsToMany?: string[];
  table: string;
  migrations: string[];
  /** SHA-256 of each file as fastpy last generated it: a file that no longer matches was edited by its owner. */
  checksums?: Record<string, string>;
}

/**
 * What .yo-rc.json keeps of the fields a project added to users ("users"): the table is
 * authentication's (its create migration the framework's), the fields and their migrations the project's.
 */
export type StoredUsers = Pick<StoredResource, 'fields' | 'migrations' | 'checksums'>;

/** One side of a pivot table: the resource's table and class. */
interface PivotSide {
  table: string;
  className: string;
}

/** Authentication's model: its file (src/models/user.ts, a template of the project's: resource's user-model.ts.ejs). */
export const USER_MODEL = {
  file: 'src/models/user.ts',
  /**
   * SHA-256 of src/models/user.ts as fastpy 0.2 wrote it before it kept the users' fields (and this
   * checksum) in .yo-rc.json: such a file, unedited, is updated like any generated file.
   */
  firstChecksum: 'e14072cdd9ad212f00213fc468948be58b976253fa2dd22d220df3e88e900b35',
};

/** What the field wizard says and checks for users: the columns it does not show are authentication's. */
const USERS_WIZARD: Pick<FieldWizardContext, 'intro' | 'reserved' | 'mayHaveNoFields'> = {
  intro: `User is authentication's model: ${AUTH_USER_COLUMNS.join(', ')} are its own columns. The fields here are the ones your project adds (registration takes them, me and login show them).`,
  reserved: Object.fromEntries(AUTH_USER_COLUMNS.map((name) => [name, authColumnProblem(name)])),
  mayHaveNoFields: true,
};

const ROUTES_MARKER = '// fastpy:routes';
const FACTORIES_MARKER = '// fastpy:factories';
const MIGRATIONS = 'src/database/migrations';
/** Columns of users a foreign key may reference (its id and its unique e-mail). */
const USER_KEYS = ['id', 'email'];

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

/** One-line description of a schema change, for the migration's header. */
function describeChange(plan: SchemaPlan): string {
  const names = (kind: string) =>
    plan.steps
      .filter((step) => step.kind === kind)
      .map((step) =>
        step.kind === 'rename'
          ? `${step.from} → ${step.to}`
          : step.kind === 'change'
            ? step.after.name
            : step.field.name,
      );
  return [
    ['renames', names('rename')],
    ['drops', names('drop')],
    ['changes', names('change')],
    ['adds', names('add')],
  ]
    .filter(([, list]) => list!.length > 0)
    .map(([verb, list]) => `${verb as string} ${(list as string[]).join(', ')}`)
    .join('; ');
}

const list = (value: unknown): string[] =>
  ([] as unknown[])
    .concat(value ?? [])
    .map((item) => String(item).trim())
    .filter((item) => item !== '');

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
  /** The change to the fields (generators that define them). */
  #schema?: SchemaPlan;
  /** The same change planned again with facts from the database. */
  #replan?: (rowsWithoutValue: Record<string, number>) => SchemaPlan;
  /** Whether the field wizard ran (it shows the plan and asks before writing). */
  #wizard = false;
  /** Whether the change came from -f / --remove-field / --rename-field (then an absent -m or -p means no). */
  #fromFlags = false;
  #outputs: Record<string, string> = {};
  /** The files of other resources this run renders again (their hasMany includes), by file: whose they are. */
  readonly #parentFiles = new Map<string, string>();
  #migrationFile?: string;
  #removedMigrations: string[] = [];
  /** Packages this run added to package.json (fastpy add's features), to install next. */
  #installs: string[] = [];
  #databaseNote?: string;
  /** What the project's database said of its migrations (those run), or why it could not be asked. */
  #ran?: Set<string> | string;
  /**
   * Removing a resource with many-to-many links: its own (the resources it belongs to many of) and
   * the resources that belong to many of it, whose pivots go with it.
   */
  #removedLinks: { own: string[]; linkers: string[] } = { own: [], linkers: [] };
  /** The linkers' histories after this removal: each pivot's drop migration added, or its create (never run) taken out. */
  #linkerMigrations = new Map<string, string[]>();
  /** The resource as stored before this run. */
  #previous?: StoredResource;
  /** The resources this one belongs to many of after this run (stored, and added by --belongs-to-many). */
  #belongsToMany: string[] = [];
  /** The pivot tables' migrations this run writes (creating the new links' pivots, dropping the unlinked ones'). */
  #pivotMigrations: string[] = [];
  /** The resources this one belonged to many of and no longer does after this run (--remove-belongs-to-many). */
  #unlinked: string[] = [];
  /** The resource --remove removes: the others' links to it are dropped with it. */
  #removing?: string;
  /** Of the unlinked, those whose pivot table was never made (its create migration never ran): that migration is deleted, no drop written. */
  #pivotsNeverMade = new Map<string, string>();
  /** Pending migrations this run deletes (an unlinked pivot's that never ran): no longer the resource's. */
  #deletedMigrations: string[] = [];
  /** Whether this run changes the fields the project added to users (make:resource User): authentication's table. */
  #usersTable = false;

  constructor(args: string[], options: Record<string, unknown>) {
    // Tasks (initializing, prompting, …) are defined here, on the shared base class.
    super(args, options, { inheritTasks: true });
    this.argument('name', {
      type: String,
      required: false,
      description: 'Resource name, singular: Post, BlogPost (asked for when missing)',
    });
    if (this.definesFields) {
      this.option('field', {
        type: (value: unknown) => value,
        alias: 'f',
        description: 'A field to add, or to change by its name: name:type[:rules] (repeatable)',
      });
      this.option('remove-field', {
        type: (value: unknown) => value,
        description: 'A field to remove, with its column and data (repeatable)',
      });
      this.option('rename-field', {
        type: (value: unknown) => value,
        description: 'Rename a field and its column, keeping the data: old:new (repeatable)',
      });
      this.option('allow-data-loss', {
        type: Boolean,
        description: 'Go ahead with a change that drops or narrows a column, without asking',
      });
      this.option('migration', {
        type: Boolean,
        alias: 'm',
        description: 'Write the migration that creates the table',
      });
    }
    if (this.spec.parts.includes('route'))
      this.option('protected', { type: Boolean, alias: 'p', description: 'Put every route behind a bearer token' });
    if (this.#wholeResource)
      this.option('belongs-to-many', {
        type: (value: unknown) => value,
        description:
          'Link its records to many of another resource through a pivot table: Tag gives tag_ids in bodies, ?include=tags and filter[tags] (repeatable)',
      });
    if (this.#wholeResource)
      this.option('remove-belongs-to-many', {
        type: (value: unknown) => value,
        description:
          'Unlink it from a resource it belongs to many of: drops their pivot table and the links in it (repeatable)',
      });
    if (this.#wholeResource)
      this.option('owned', {
        type: Boolean,
        description:
          'Records belong to the user who creates them: user_id from the token, each user reaches only their own (admins all); implies --protected',
      });
    if (this.spec.parts.length === PARTS.length)
      this.option('remove', {
        type: Boolean,
        description:
          'Remove the resource: its files, its registrations, and its table (a new migration drops it; migrations that never ran are deleted instead)',
      });
    this.option('dry-run', { type: Boolean, description: 'Show what would be written or changed, and change nothing' });
    // Templates are shared by every resource generator.
    this.sourceRoot(join(PACKAGE_ROOT, 'generators', 'resource', 'templates'));
  }

  get spec(): PartsGeneratorSpec {
    return (this.constructor as typeof ResourcePartsGenerator).spec;
  }

  /**
   * Whether this is the whole resource's generator: only it says whether records are their
   * creator's and what it belongs to many of (it writes the model, the routes and the migrations).
   */
  get #wholeResource(): boolean {
    return this.spec.parts.length === PARTS.length;
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
    if (this.options.name === undefined) return;
    const problem = this.#nameProblem(String(this.options.name));
    if (problem) throw new UsageError(problem, 'E_RESOURCE_NAME');
  }

  /** Why a name cannot be used: User only where fields are changed (its table, routes and other parts are authentication's). */
  #nameProblem(name: string): string | undefined {
    const problem = resourceNameProblem(name);
    if (problem === undefined || resourceNames(name).className !== USER_CLASS) return problem;
    if (this.definesFields) return undefined;
    return `${problem}: its fields are the project's (fastpy make:resource User -f name:type[:rules]), its routes authentication's (/api/auth; fastpy eject routes/auth to own them)`;
  }

  async prompting(): Promise<void> {
    const command = this.commandName(this.spec.command);
    const names = resourceNames(await this.#resourceName(command));
    this.#usersTable = names.className === USER_CLASS;
    if (this.#usersTable) this.#refuseForUsers();
    const stored = this.#usersTable ? this.#storedUsers() : this.resources[names.className];
    this.#previous = stored;
    if (this.options.remove === true) return this.#confirmRemoval(names.className, stored, command);
    // The fields first (the wizard asks for them), then whose the records are, then the plan of both.
    const plan = this.definesFields ? await this.#changeFields(names, stored) : undefined;
    const owned = await this.#ownership(names.className, stored, command);
    const fields = plan ? plan(owned) : this.#storedFields(names.className, stored, command);
    // With the fields on the command line, an absent -m / -p means no (as in fastpy's CLI); a resource
    // that exists keeps its protection unless the wizard asks about it or -p / --no-protected say.
    const options: GeneratorOptions = { ...this.options };
    if (this.#fromFlags) {
      options.migration ??= false;
      options.protected ??= stored?.protected ?? false;
    } else if (stored && !this.#wizard) options.protected ??= stored.protected;
    const questions: QuestionSpec[] = [];
    // An owned resource's routes are behind the token: nothing to ask.
    if (this.spec.parts.includes('route') && !owned && !this.#usersTable) {
      questions.push({
        name: 'protected',
        option: 'protected',
        type: 'confirm',
        message: 'Protect every route with a bearer token?',
        default: () => stored?.protected ?? false,
        parse: parseBoolean,
      });
    }
    if (this.definesFields && !this.#hasTable(stored)) {
      questions.push({
        name: 'migration',
        option: 'migration',
        type: 'confirm',
        message: 'Write the migration that creates the table?',
        default: () => true,
        parse: parseBoolean,
      });
    }
    const answers = await this.answer(
      questions,
      `${command} ${names.className}${this.definesFields ? ' -f title:string:required -m' : ''}`,
      options,
    );
    const order = Object.keys(this.resources);
    const seedIndex = order.includes(names.className) ? order.indexOf(names.className) + 1 : order.length + 1;
    const protectedRoutes =
      owned || ('protected' in answers ? answers.protected === true : (stored?.protected ?? false));
    this.#belongsToMany = await this.#manyToMany(names.className, stored, answers.migration === true);
    this.context = resourceContext(names.className, fields, {
      protected: protectedRoutes,
      owned,
      belongsToMany: this.#belongsToMany,
      seedIndex,
      models: this.#knownModels(),
      resources: this.#resourceSet(names.className, fields, protectedRoutes),
      runtime: this.#runtimeCapabilities,
    });
    this.migration = answers.migration === true;
  }

  /**
   * The change this run asks for: by options, or by the wizard on a terminal (from the stored
   * fields when the resource exists). Returns the planning of it against the stored columns, once
   * it is known whether the records are owned: the fields after this run.
   */
  async #changeFields(
    names: ResourceNames,
    stored: StoredResource | undefined,
  ): Promise<(owned: boolean) => FieldDefinition[]> {
    const request = this.#requestFromOptions();
    const storedFields = stored ? parseFieldSpecs(stored.fields) : [];
    const facts: ChangeFacts = {
      table: names.table,
      tables: this.#knownTables(names.className),
      referencedBy: this.#referencesTo(names.className, names.table),
      ...(this.#usersTable ? { mayHaveNoFields: true } : {}),
    };
    let change = request;
    if (!stored && (request.remove.length > 0 || request.rename.length > 0)) {
      throw new UsageError(
        `There is no ${names.className} resource yet: --remove-field and --rename-field change an existing one. Nothing was written.`,
        'E_NO_MODEL',
      );
    }
    if (isEmpty(request) && !this.#fromFlags && this.interactive && this.options.yes !== true) {
      change = await fieldWizard({
        prompt: (questions) => this.prompt<Record<string, unknown>>(questions as never),
        log: (message) => this.log(message),
        className: names.className,
        table: names.table,
        stored: storedFields,
        tables: facts.tables,
        ...(this.#usersTable ? USERS_WIZARD : {}),
      });
      this.#wizard = true;
    } else if (!stored && request.set.length === 0) {
      throw new UsageError(
        `No fields for ${names.className}: pass them with -f name:type[:rules] (repeatable), e.g. -f title:string:required,max:200 -f body:text`,
        'E_NO_FIELDS',
      );
    }
    return (owned) => this.#planColumns(names, stored, storedFields, change, facts, owned);
  }

  /**
   * Plans the change of the table's columns: the fields and, for an owned resource, the owner, a
   * column but not a field (planned with the fields, then set apart). Returns the fields after it.
   */
  #planColumns(
    names: ResourceNames,
    stored: StoredResource | undefined,
    storedFields: readonly FieldDefinition[],
    change: FieldChangeRequest,
    facts: ChangeFacts,
    owned: boolean,
  ): FieldDefinition[] {
    if (this.#usersTable) checkUserFieldChange(change);
    const wasOwned = stored?.owned === true;
    const owner = OWNER_FIELD.name;
    const clash = [
      ...change.set.map((field) => field.name),
      ...change.rename.map((rename) => rename.to),
      ...storedFields.map((field) => field.name).filter((name) => !change.remove.includes(name)),
    ].includes(owner);
    if (owned && clash)
      throw new UsageError(
        `${names.className} has a field ${owner}, and an owned resource keeps its owner in ${owner}: rename the field (--rename-field ${owner}:author_id) or remove it, or leave out --owned. Nothing was written.`,
        'E_OWNER_FIELD',
      );
    const columns: FieldChangeRequest = {
      set: owned && !wasOwned ? [...change.set, OWNER_FIELD] : change.set,
      remove: !owned && wasOwned ? [...change.remove, owner] : change.remove,
      rename: change.rename,
    };
    const storedColumns = tableColumns(storedFields, wasOwned);
    this.#replan = (rowsWithoutValue) =>
      this.#ownFields(this.#plan(storedColumns, columns, { ...facts, rowsWithoutValue }), owned);
    this.#schema = this.#ownFields(this.#plan(storedColumns, columns, facts), owned);
    return this.#schema.fields;
  }

  /** A plan of the table's columns as the resource's fields: an owned resource's owner set apart. */
  #ownFields(plan: SchemaPlan, owned: boolean): SchemaPlan {
    if (!owned) return plan;
    const fields = plan.fields.filter((field) => field.name !== OWNER_FIELD.name);
    if (fields.length === 0)
      throw new UsageError(
        'a resource needs at least one field: this change would remove them all (remove the resource with --remove instead)',
        'E_FIELD_CHANGE',
      );
    return { ...plan, fields };
  }

  /**
   * The resources this one belongs to many of: those stored, and those --belongs-to-many adds (each
   * a resource of the project with a table, not this one). Its own table must exist or be created
   * in this run, for the pivot's foreign key.
   */
  async #manyToMany(className: string, stored: StoredResource | undefined, creatingTable: boolean): Promise<string[]> {
    const linked = stored?.belongsToMany ?? [];
    if (!this.#wholeResource || this.#usersTable) return [...linked];
    let asked = list(this.options['belongs-to-many'] ?? this.options.belongsToMany ?? this.readConfig()?.belongsToMany);
    let unlinked = this.#unlinking(
      className,
      linked,
      list(
        this.options['remove-belongs-to-many'] ??
          this.options.removeBelongsToMany ??
          this.readConfig()?.removeBelongsToMany,
      ),
    );
    // The wizard asks, when there is a resource to link to or a link to keep or drop (those it has are ticked).
    const candidates = Object.entries(this.resources)
      .filter(
        ([name, other]) =>
          name !== className &&
          other.migrations.length > 0 &&
          !linked.includes(name) &&
          !other.belongsToMany?.includes(className),
      )
      .map(([name]) => name);
    if (
      this.#wizard &&
      asked.length === 0 &&
      candidates.length + linked.length > 0 &&
      (stored?.migrations.length || creatingTable)
    ) {
      const { belongsToMany } = await this.prompt<{ belongsToMany: string[] }>([
        {
          type: 'checkbox',
          name: 'belongsToMany',
          message: `Does each ${className} belong to many records of another resource? (a pivot table each: tag_ids in bodies, ?include=tags, filter[tags]; untick one to drop its pivot table and links)`,
          choices: [
            ...linked.map((name) => ({ name, value: name, checked: true })),
            ...candidates.map((name) => ({ name, value: name })),
          ],
        },
      ] as never);
      asked = (belongsToMany ?? []).filter((name) => !linked.includes(name));
      unlinked = linked.filter((name) => !(belongsToMany ?? []).includes(name));
    }
    this.#unlinked = unlinked;
    this.#pivotsNeverMade = this.#pivotsNeverRun(stored, unlinked);
    const kept = linked.filter((name) => !unlinked.includes(name));
    const added: string[] = [];
    for (const raw of asked) {
      const name = resourceNames(raw).className;
      const other = this.resources[name];
      if (name === className)
        throw new UsageError(
          `--belongs-to-many ${raw}: ${className} cannot belong to many of itself. Nothing was written.`,
          'E_USAGE',
        );
      if (!other)
        throw new UsageError(
          `--belongs-to-many ${raw}: there is no ${name} resource${Object.keys(this.resources).length > 0 ? ` (the project has ${Object.keys(this.resources).join(', ')})` : ''}; make it first. Nothing was written.`,
          'E_NO_MODEL',
        );
      if (other.migrations.length === 0)
        throw new UsageError(
          `--belongs-to-many ${name}: ${name} has no table fastpy made (no migration), which the pivot table needs. Nothing was written.`,
          'E_NO_TABLE',
        );
      if (other.belongsToMany?.includes(className))
        throw new UsageError(
          `--belongs-to-many ${name}: ${name} already belongs to many ${className} records through the same pivot table; both sides include each other already. Nothing was written.`,
          'E_USAGE',
        );
      if (unlinked.includes(name))
        throw new UsageError(
          `--belongs-to-many ${name} and --remove-belongs-to-many ${name}: a link cannot be added and dropped at once. Nothing was written.`,
          'E_USAGE',
        );
      if (!kept.includes(name) && !added.includes(name)) added.push(name);
    }
    if (added.length > 0 && !this.#runtimeCapabilities.manyToMany)
      throw new UsageError(
        `This project's runtime (copied into src/ by an older fastpy) has no many-to-many relations: --belongs-to-many needs the fastpy-runtime package. Nothing was written.`,
        'E_RUNTIME',
      );
    if (added.length > 0 && !stored?.migrations.length && !creatingTable)
      throw new UsageError(
        `--belongs-to-many needs ${className}'s table for the pivot's foreign key: pass -m to write the migration that creates it. Nothing was written.`,
        'E_NO_TABLE',
      );
    return [...kept, ...added];
  }

  /**
   * The links --remove-belongs-to-many drops: each one this resource has (a link kept on the other
   * side is changed from there).
   */
  #unlinking(className: string, linked: readonly string[], asked: readonly string[]): string[] {
    const unlinked: string[] = [];
    const command = this.commandName('yo fastpy:resource');
    for (const raw of asked) {
      const name = resourceNames(raw).className;
      if (linked.includes(name)) {
        if (!unlinked.includes(name)) unlinked.push(name);
        continue;
      }
      if (this.resources[name]?.belongsToMany?.includes(className))
        throw new UsageError(
          `--remove-belongs-to-many ${raw}: the link is ${name}'s (${name} belongs to many ${className}): drop it there, with ${command} ${name} --remove-belongs-to-many ${className}. Nothing was written.`,
          'E_USAGE',
        );
      throw new UsageError(
        `--remove-belongs-to-many ${raw}: ${className} does not belong to many ${name}${linked.length > 0 ? ` (it belongs to many ${linked.join(', ')})` : ''}. Nothing was written.`,
        'E_USAGE',
      );
    }
    return unlinked;
  }

  /**
   * The unlinked resources whose pivot table was never made, with its create migration: the latest
   * one of the pivot, which the database says never ran. None when the database cannot be asked
   * (the cautious path: a migration drops the table).
   */
  #pivotsNeverRun(stored: StoredResource | undefined, unlinked: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    for (const name of unlinked) {
      const file = this.#pivotNeverRun(stored!, this.resources[name]!);
      if (file) found.set(name, file);
    }
    return found;
  }

  /**
   * The create migration of the pivot `owner` keeps with `other` (its latest, in owner's history),
   * when the database says it never ran: the table was never made.
   */
  #pivotNeverRun(owner: StoredResource, other: StoredResource): string | undefined {
    const pivot = pivotTable(owner.table, other.table).table;
    const file = owner.migrations.filter((each) => each.endsWith(`_create_${pivot}_table.ts`)).at(-1);
    if (!file || !existsSync(this.destinationPath(MIGRATIONS, file))) return undefined;
    const run = this.#migrationsRun();
    if (!run) {
      this.#databaseNote = `Could not ask the database whether the pivot tables exist (${String(this.#ran)}), so a migration drops each; if their migrations never ran anywhere, you may delete them and the drop migrations instead.`;
      return undefined;
    }
    return run.has(file) ? undefined : file;
  }

  /**
   * Whether the resource's records are their creator's: --owned / --no-owned (or `owned` in
   * --config), asked in the wizard, else as stored. Only the whole resource decides it; its parts
   * keep what is stored.
   */
  async #ownership(className: string, stored: StoredResource | undefined, command: string): Promise<boolean> {
    const wasOwned = stored?.owned === true;
    if (!this.#wholeResource || this.#usersTable) return wasOwned;
    const options: GeneratorOptions = { ...this.options };
    // Asked only in the wizard: with fields on the command line, or no terminal, it stays as it was.
    if ((this.#fromFlags || !this.interactive) && this.readConfig()?.owned === undefined) options.owned ??= wasOwned;
    const { owned } = await this.answer(
      [
        {
          name: 'owned',
          option: 'owned',
          type: 'confirm',
          message:
            'Do its records belong to the user who creates them? (user_id from the token; each user sees only their own, an admin all)',
          default: () => wasOwned,
          parse: parseBoolean,
        },
      ],
      `${command} ${className} --owned`,
      options,
    );
    if (owned !== true) return false;
    if (this.options.protected === false)
      throw new UsageError(
        `An owned resource's routes are behind the token: --owned and --no-protected cannot go together. Nothing was written.`,
        'E_USAGE',
      );
    if (!this.#runtimeCapabilities.owners)
      throw new UsageError(
        `This project's runtime (copied into src/ by an older fastpy) has no owned resources: --owned needs the fastpy-runtime package. Nothing was written.`,
        'E_RUNTIME',
      );
    return true;
  }

  /**
   * The users table as this run changes it: the fields the project added, as .yo-rc.json keeps them
   * ("users") or, before fastpy first changed them, as src/models/user.ts lists them; the table
   * itself is authentication's and always there.
   */
  #storedUsers(): StoredResource {
    const model = this.destinationPath(USER_MODEL.file);
    if (this.runtimeLayout !== 'package' || !existsSync(model))
      throw new UsageError(
        `Changing the users' fields needs the project's own User model (${USER_MODEL.file}, with userModel() from fastpy-runtime), which projects made by fastpy before 0.2 do not have. Nothing was written.`,
        'E_RUNTIME',
      );
    const kept = this.config.get('users') as StoredUsers | undefined;
    return {
      fields: kept?.fields ?? userFieldsIn(readFileSync(model, 'utf8')),
      protected: false,
      table: 'users',
      migrations: kept?.migrations ?? [],
      checksums: kept?.checksums ?? {},
    };
  }

  /** What only the project's own resources have: User's table, routes and their guards are authentication's. */
  #refuseForUsers(): void {
    const given = [
      this.options.remove === true && '--remove',
      this.options.owned === true && '--owned',
      list(this.options['belongs-to-many'] ?? this.options.belongsToMany).length > 0 && '--belongs-to-many',
      list(this.options['remove-belongs-to-many'] ?? this.options.removeBelongsToMany).length > 0 &&
        '--remove-belongs-to-many',
      this.options.protected !== undefined && '--protected',
    ].filter((flag): flag is string => typeof flag === 'string');
    if (given.length > 0)
      throw new UsageError(
        `User is authentication's model: its table, its routes (/api/auth) and who may call them are the runtime's, so ${given.join(' and ')} cannot apply to it. Its fields are the project's: -f, --rename-field and --remove-field change them. Nothing was written.`,
        'E_USAGE',
      );
  }

  /** Whether the resource's table exists (users always does; a resource's once fastpy wrote a migration for it). */
  #hasTable(stored: StoredResource | undefined): stored is StoredResource {
    return stored !== undefined && (this.#usersTable || stored.migrations.length > 0);
  }

  /** The resource's name: the argument, or asked for on a terminal. */
  async #resourceName(command: string): Promise<string> {
    if (this.options.name !== undefined) return String(this.options.name);
    const existing = Object.keys(this.resources);
    if (!this.interactive || this.options.yes === true) {
      throw new UsageError(
        `Name the resource: ${command} <Name> (singular, e.g. Post or BlogPost)${existing.length > 0 ? `; the project has ${existing.join(', ')}` : ''}`,
        'E_NO_NAME',
      );
    }
    if (!this.definesFields && existing.length > 0) {
      const { resourceName } = await this.prompt([
        {
          type: 'select',
          name: 'resourceName',
          message: 'Which resource?',
          choices: existing.map((name) => ({ name, value: name })),
        },
      ] as never);
      return String(resourceName);
    }
    const { resourceName } = await this.prompt([
      {
        type: 'input',
        name: 'resourceName',
        message: `Resource name, singular (e.g. Post or BlogPost)${existing.length > 0 ? `; to change one, give its name (${existing.join(', ')})` : ''}`,
        validate: (value: string) =>
          String(value ?? '').trim() === ''
            ? 'give the resource a name'
            : (this.#nameProblem(String(value).trim()) ?? true),
      },
    ] as never);
    return String(resourceName).trim();
  }

  /** The change asked for by -f, --remove-field, --rename-field, or the same keys in --config. */
  #requestFromOptions(): FieldChangeRequest {
    const configured = this.readConfig() ?? {};
    let specs = list(this.options.field);
    // A change of the relations alone is given by flags too: no field wizard for it.
    const flagged = [
      this.options['remove-field'],
      this.options.removeField,
      this.options['rename-field'],
      this.options.renameField,
      this.options['belongs-to-many'],
      this.options.belongsToMany,
      this.options['remove-belongs-to-many'],
      this.options.removeBelongsToMany,
    ];
    this.#fromFlags = specs.length > 0 || flagged.some((value) => value !== undefined);
    if (specs.length === 0 && Array.isArray(configured.fields)) specs = configured.fields.map(String);
    const remove = list(this.options['remove-field'] ?? this.options.removeField ?? configured.removeFields);
    try {
      const rename = parseRenames(this.options['rename-field'] ?? this.options.renameField ?? configured.renameFields);
      return { set: parseFieldSpecs(specs), remove, rename };
    } catch (error) {
      throw asUsageError(error);
    }
  }

  #plan(stored: readonly FieldDefinition[], change: FieldChangeRequest, facts: ChangeFacts): SchemaPlan {
    try {
      return planFieldChange(stored, change, facts);
    } catch (error) {
      throw asUsageError(error);
    }
  }

  /** Tables a foreign key can point at: users, and the project's resources (id and unique columns). */
  #knownTables(except: string): KnownTables {
    const users = (this.config.get('users') as StoredUsers | undefined)?.fields ?? [];
    const tables: Record<string, string[]> = {
      users: [
        ...USER_KEYS,
        ...parseFieldSpecs(users)
          .filter((field) => field.rules.unique)
          .map((field) => field.name),
      ],
    };
    for (const [className, resource] of Object.entries(this.resources)) {
      if (className === except) continue;
      tables[resource.table] = [
        'id',
        ...parseFieldSpecs(resource.fields)
          .filter((field) => field.rules.unique)
          .map((field) => field.name),
      ];
    }
    return tables;
  }

  /** The other resources' foreign keys to a table, by the column they reference. */
  #referencesTo(className: string, table: string): Record<string, string[]> {
    const references: Record<string, string[]> = {};
    for (const [name, resource] of Object.entries(this.resources)) {
      if (name === className) continue;
      for (const field of parseFieldSpecs(resource.fields))
        if (field.rules.foreign?.table === table)
          (references[field.rules.foreign.column] ??= []).push(`${name}.${field.name}`);
    }
    return references;
  }

  /** Models foreign keys can point at: User (the project's src/models/user.ts, or the runtime's in older projects) and the project's resources. */
  #knownModels(): KnownModels {
    const ownUser = existsSync(this.destinationPath('src', 'models', 'user.ts'));
    const models: KnownModels = {
      users: { className: 'User', fileName: 'user', ...(ownUser ? {} : { runtime: true }) },
    };
    for (const [className, resource] of Object.entries(this.resources))
      models[resource.table] = { className, fileName: resourceNames(className).fileName };
    return models;
  }

  /**
   * What the project's runtime can do that generated code may call: everything this fastpy's can
   * (the package), or what the copy in src/ of an older one shows (fastpy 0.2 added the nested routes and existing parents).
   */
  get #runtimeCapabilities(): RuntimeCapabilities {
    const copied = (file: string, marker: string) => {
      if (this.runtimeLayout === 'package') return true;
      const path = this.destinationPath('src', file);
      return existsSync(path) && readFileSync(path, 'utf8').includes(marker);
    };
    return {
      // Without hasMany, a parent's controllers stay as they were (its ResourceController would not compile them).
      hasMany: copied('controllers/resource-controller.ts', "'hasMany'"),
      nestedRoutes: copied('controllers/resource-controller.ts', 'nested(parent'),
      existingParents: copied('factories/factory.ts', "parents?: 'new' | 'existing'"),
      modelFields: copied('models/base-model.ts', 'fields?: readonly FieldDefinition[]'),
      owners: copied('models/base-model.ts', 'owner?: string'),
      manyToMany: copied('factories/factory.ts', 'export async function linkExisting('),
    };
  }

  /** The project's resources as they are after this run: `fields` for this one (undefined: it is removed). */
  #resourceSet(className: string, fields: readonly FieldDefinition[] | undefined, isProtected: boolean): ResourceSet {
    if (!this.#runtimeCapabilities.hasMany) return {};
    // Whether each has a factory (on disk, or written this run), for the contract tests of its parents.
    const factory = (name: string) =>
      this.fs.exists(this.destinationPath(`src/factories/${resourceNames(name).fileName}-factory.ts`));
    // Seeders run in the order resources were made; a new one's runs last.
    const order = Object.keys(this.resources);
    const seedIndex = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length) + 1;
    const set: Record<string, ResourceSet[string]> = {};
    for (const [name, resource] of Object.entries(this.resources))
      if (name !== className)
        set[name] = {
          table: resource.table,
          fields: parseFieldSpecs(resource.fields),
          factory: factory(name),
          protected: resource.protected,
          belongsToMany: this.#linksOf(resource),
          seedIndex: seedIndex(name),
        };
    if (fields)
      set[className] = {
        table: resourceNames(className).table,
        fields,
        factory: factory(className),
        protected: isProtected,
        belongsToMany: this.#belongsToMany,
        seedIndex: seedIndex(className),
      };
    return set;
  }

  /** The resources another belongs to many of, after this run: not the one --remove removes. */
  #linksOf(resource: StoredResource): string[] {
    return (resource.belongsToMany ?? []).filter((name) => name !== this.#removing);
  }

  /**
   * Renders again the controllers, contract tests and seeders of the resources this one points at,
   * or pointed at before this run, so their hasMany includes (`?include=comments`) follow its
   * foreign keys and the later-seeded side of a many-to-many links the records: each is then
   * settled as any file this run writes. Only a file fastpy wrote (it has a
   * checksum) is rendered.
   * Returns the files.
   */
  #renderParents(
    className: string,
    after: readonly FieldDefinition[] | undefined,
    before: readonly FieldDefinition[],
  ): string[] {
    const tables = new Set([
      ...[...(after ?? []), ...before].flatMap((field) => (field.rules.foreign ? [field.rules.foreign.table] : [])),
      // The resources it belongs to many of include it back (`?include=posts` on Tag), and those it
      // no longer does stop.
      ...[...this.#belongsToMany, ...this.#unlinked].flatMap((name) => this.resources[name]?.table ?? []),
    ]);
    const set = this.#resourceSet(className, after, this.context?.protected ?? false);
    const order = Object.keys(this.resources);
    const files: string[] = [];
    for (const [parentName, parent] of Object.entries(this.resources)) {
      if (parentName === className || !tables.has(parent.table)) continue;
      const context = resourceContext(parentName, parseFieldSpecs(parent.fields), {
        protected: parent.protected,
        owned: parent.owned === true,
        belongsToMany: this.#linksOf(parent),
        seedIndex: order.indexOf(parentName) + 1,
        models: this.#knownModels(),
        resources: set,
        runtime: this.#runtimeCapabilities,
      });
      // The seeder too: of a many-to-many, the side seeded later links the records.
      for (const part of ['controller', 'route', 'test', 'seeder'] as const) {
        const file = FILES[part].target(context);
        if (parent.checksums?.[file] === undefined || !existsSync(this.destinationPath(file))) continue;
        this.render(this.templatePath(FILES[part].template), this.destinationPath(file), context);
        this.#parentFiles.set(file, parentName);
        files.push(file);
      }
    }
    return files;
  }

  /** What fastpy last wrote of the other resources' files this run renders again (settleFiles' lastChecksums). */
  #parentChecksums(files: readonly string[]): Record<string, string> {
    return Object.fromEntries(
      files.map((file) => [file, this.resources[this.#parentFiles.get(file)!]!.checksums![file]!]),
    );
  }

  /** The resources as stored, with the checksums of the other resources' files this run wrote. */
  #withParentChecksums(resources: Record<string, StoredResource>): Record<string, StoredResource> {
    const updated = { ...resources };
    for (const [file, parentName] of this.#parentFiles) {
      const parent = updated[parentName];
      if (!parent || this.#outputs[file] === undefined) continue;
      updated[parentName] = {
        ...parent,
        checksums: { ...parent.checksums, ...this.checksums({ [file]: this.#outputs[file] }) },
      };
    }
    return updated;
  }

  async #confirmRemoval(className: string, stored: StoredResource | undefined, command: string): Promise<void> {
    if (!stored)
      throw new UsageError(`There is no ${className} resource to remove (it is not in .yo-rc.json)`, 'E_NO_MODEL');
    // Its many-to-many links go with it: the pivots of those it belongs to many of, and of those that belong to many of it.
    this.#removedLinks = {
      own: [...(stored.belongsToMany ?? [])],
      linkers: Object.entries(this.resources)
        .filter(([, resource]) => resource.belongsToMany?.includes(className))
        .map(([name]) => name),
    };
    this.#removing = className;
    this.#unlinked = [...this.#removedLinks.own, ...this.#removedLinks.linkers];
    const referencing = Object.values(this.#referencesTo(className, stored.table)).flat();
    if (referencing.length > 0) {
      throw new UsageError(
        `Cannot remove ${className}: ${referencing.join(', ')} refer${referencing.length === 1 ? 's' : ''} to its table ${stored.table}. Remove those fields (or resources) first. Nothing was removed.`,
        'E_REFERENCED',
      );
    }
    const order = Object.keys(this.resources);
    this.context = resourceContext(className, parseFieldSpecs(stored.fields), {
      protected: stored.protected,
      owned: stored.owned === true,
      seedIndex: order.indexOf(className) + 1,
      models: this.#knownModels(),
    });
    this.#removedMigrations = this.#migrationsNeverRun(stored);
    const pivots = this.#unlinked.map((name) => pivotTable(stored.table, this.resources[name]!.table).table);
    const table =
      (stored.migrations.length === 0
        ? `leave ${stored.table} alone (fastpy wrote no migration for it)`
        : this.#removedMigrations.length > 0
          ? `delete its migrations (${this.#removedMigrations.join(', ')}), which never ran`
          : `write a migration that drops ${stored.table} (its rows are deleted when you migrate)`) +
      (pivots.length > 0
        ? `, and unlink ${this.#unlinked.join(', ')}: the pivot table${pivots.length === 1 ? '' : 's'} ${pivots.join(', ')} go${pivots.length === 1 ? 'es' : ''} with it (${pivots.length === 1 ? 'its' : 'their'} links are deleted)`
        : '');
    if (this.options.yes === true || this.options.force === true || this.dryRun) return;
    if (!this.interactive) {
      throw new UsageError(
        `Removing ${className} deletes its files and would ${table}. No terminal is here to confirm: pass --yes to go ahead (or --dry-run to see what would change), e.g. ${command} ${className} --remove --yes`,
        'E_NO_TTY',
      );
    }
    const { confirmed } = await this.prompt([
      {
        type: 'confirm',
        name: 'confirmed',
        message: `Remove ${className}: delete its files and ${table}?`,
        default: false,
      },
    ] as never);
    if (confirmed !== true) throw new UsageError(`${className} was not removed.`, 'E_CANCELLED');
  }

  /** The migrations the project's database has run, asked once per run; undefined (the reason noted) when it cannot be asked. */
  #migrationsRun(): ReadonlySet<string> | undefined {
    if (this.#ran === undefined) {
      const database = inspectProjectDatabase(this.destinationRoot());
      this.#ran = database.known ? new Set(database.inspection.migrations.run) : database.reason;
    }
    return typeof this.#ran === 'string' ? undefined : this.#ran;
  }

  /** The resource's migrations, when the database says none of them ran (else none: its table may exist). */
  #migrationsNeverRun(stored: StoredResource): string[] {
    if (stored.migrations.length === 0) return [];
    const run = this.#migrationsRun();
    if (!run) {
      this.#databaseNote = `Could not ask the database whether ${stored.table} exists (${String(this.#ran)}), so a migration drops it; if its migrations never ran anywhere, you may delete them and the drop migration instead.`;
      return [];
    }
    return stored.migrations.some((file) => run.has(file)) ? [] : stored.migrations;
  }

  #storedFields(className: string, stored: StoredResource | undefined, command: string): FieldDefinition[] {
    if (!stored) {
      const make = command.startsWith('fastpy') ? 'fastpy make:model' : 'yo fastpy:model';
      throw new UsageError(
        `There is no ${className} model yet (its fields are not in .yo-rc.json): create it first with \`${make} ${className} -f name:type[:rules] -m\`, or the whole resource with make:resource.`,
        'E_NO_MODEL',
      );
    }
    return parseFieldSpecs(stored.fields);
  }

  /** Renders everything, settles each file against the owner's edits, then shows the change and asks where it must. */
  async configuring(): Promise<void> {
    if (this.options.remove === true) return this.#planRemoval();
    const c = this.context;
    const previous = this.#previous;
    // Requested parts are (re)written; prerequisites only when their file is missing. Of users, only
    // the model is the project's.
    const parts = this.#usersTable
      ? (['model'] as Part[])
      : withPrerequisites(this.spec.parts).filter(
          (part) => this.spec.parts.includes(part) || !existsSync(this.destinationPath(FILES[part].target(c))),
        );
    const targets = parts.map((part) => this.#file(part).target);
    for (const part of parts) {
      const { template, target, context } = this.#file(part);
      this.render(template, this.destinationPath(target), context);
    }
    if (this.definesFields) this.#writeMigration(c, previous);
    if (this.#wholeResource) this.#writePivotMigrations(c, previous);
    if (parts.includes('route'))
      this.registerIn(
        'src/routes/index.ts',
        ROUTES_MARKER,
        `import { ${c.camelName}Routes } from './${c.pluralFileName}.js';`,
        `  ${c.camelName}Routes,`,
      );
    // File and image fields take multipart uploads: the runtime's `uploads` packages.
    if (c.uploadFields.length > 0 && parts.includes('controller')) this.#installs = this.addFeatures(['uploads']);
    if (parts.includes('factory'))
      this.registerIn(
        'src/factories/index.ts',
        FACTORIES_MARKER,
        `import { ${c.camelName}Factory } from './${c.fileName}-factory.js';`,
        `    ${c.table}: ${c.camelName}Factory as FactoryBuilder,`,
      );
    const parents =
      this.definesFields && !this.#usersTable
        ? this.#renderParents(c.className, c.fields, previous ? parseFieldSpecs(previous.fields) : [])
        : [];
    const conflicts = await this.settleFiles([...targets, ...parents], {
      ...(this.#usersTable ? { [USER_MODEL.file]: USER_MODEL.firstChecksum } : {}),
      ...previous?.checksums,
      ...this.#parentChecksums(parents),
    });
    this.#outputs = conflicts.outputs;

    const risks = this.#risks(previous);
    if (this.dryRun)
      return this.discardForDryRun([
        ...this.#schemaLines(risks, previous),
        ...(this.#databaseNote ? [this.#databaseNote] : []),
      ]);
    if (risks.length > 0 && !this.#allowsDataLoss) await this.#confirmDataLoss(risks, previous!);
    else if (this.#wizard) {
      this.log(
        [
          '',
          `${c.className} will ${previous ? 'change' : 'be written'} like this:`,
          ...this.#schemaLines(risks, previous),
          'Files:',
          ...this.planLines().map((line) => `  ${line}`),
        ].join('\n'),
      );
      const { goAhead } = await this.prompt([
        { type: 'confirm', name: 'goAhead', message: 'Go ahead?', default: true },
      ] as never);
      if (goAhead !== true) throw new UsageError(`Nothing was written; ${c.className} is as it was.`, 'E_CANCELLED');
    }
    await this.resolveConflicts(conflicts.pending);
  }

  /** A part's template, its file and what it renders from (users' model: src/models/user.ts). */
  #file(part: Part): { template: string; target: string; context: object } {
    const c = this.context;
    if (this.#usersTable && part === 'model')
      return {
        template: this.templatePath('user-model.ts.ejs'),
        target: USER_MODEL.file,
        context: { user: userModelContext(c.fields) },
      };
    return { template: this.templatePath(FILES[part].template), target: FILES[part].target(c), context: c };
  }

  /** --allow-data-loss, or `"allowDataLoss": true` in --config. */
  get #allowsDataLoss(): boolean {
    return (
      this.options['allow-data-loss'] === true ||
      this.options.allowDataLoss === true ||
      this.readConfig()?.allowDataLoss === true
    );
  }

  /** What can lose data in this run: its columns' changes, and the links in the pivot tables it drops. */
  #risks(previous: StoredResource | undefined): DataRisk[] {
    const c = this.context;
    return [
      ...this.#columnRisks(previous),
      ...this.#unlinked
        .filter((name) => !this.#pivotsNeverMade.has(name))
        .map((name): DataRisk => {
          const other = this.resources[name]!.table;
          const pivot = pivotTable(c.table, other).table;
          return {
            column: pivot,
            kind: 'drop',
            message: `drops the pivot table ${pivot}: every link between ${c.table} and ${other} is deleted (${c.className} no longer belongs to many ${name})`,
            action: `drop ${pivot}`,
          };
        }),
    ];
  }

  /** What a change of the columns can lose: only where the resource has a table (a migration of its own). */
  #columnRisks(previous: StoredResource | undefined): DataRisk[] {
    const schema = this.#schema;
    if (!schema || !this.#hasTable(previous)) return [];
    if (schema.becomeRequired.length === 0) return schema.risks;
    // Whether making a column required stops the migration depends on the rows: ask the database.
    const originalName = new Map(
      schema.steps.flatMap((step) => (step.kind === 'rename' ? [[step.to, step.from] as const] : [])),
    );
    const columns = schema.becomeRequired.map((name) => originalName.get(name) ?? name);
    const database = inspectProjectDatabase(this.destinationRoot(), previous.table, columns);
    if (!database.known) return schema.risks;
    const counts = database.inspection.table?.withoutValue ?? {};
    this.#schema = this.#replan!(
      Object.fromEntries(schema.becomeRequired.map((name, index) => [name, counts[columns[index]!] ?? 0])),
    );
    return this.#schema.risks;
  }

  /** The schema part of a summary: each column step, and what needs confirming. */
  #schemaLines(risks: readonly DataRisk[], previous: StoredResource | undefined): string[] {
    const schema = this.#schema;
    if (!schema) return [];
    const c = this.context;
    const lines = describeSteps(schema.steps);
    const riskLines =
      risks.length > 0
        ? [
            `${riskHeading(risks)}:`,
            ...risks.map((risk) => `  ! ${risk.message}`),
            ...(this.dryRun
              ? ['(a real run asks to confirm these, or needs --allow-data-loss without a terminal)']
              : []),
          ]
        : [];
    if (lines.length === 0)
      return [
        previous ? `Fields: unchanged (${c.fields.length}); the ${c.table} table is left as it is.` : '',
        ...riskLines,
      ];
    const where = this.#migrationFile
      ? `in ${this.#migrationFile}`
      : this.#hasTable(previous)
        ? ''
        : `(no migration: run with -m to write the one that creates ${c.table})`;
    // A table that exists gets the owner column empty: its rows are no user's until it is set.
    const ownerAdded =
      c.owner !== undefined &&
      previous?.migrations.length &&
      schema.steps.some((step) => step.kind === 'add' && step.field.name === c.owner);
    return [
      `Columns of ${c.table}${where ? ` ${where}` : ''}:`,
      ...lines.map((line) => `  ${line}`),
      ...(ownerAdded
        ? [
            `  rows already in ${c.table} get no owner (${OWNER_FIELD.name} null): only admins reach them until it is set`,
          ]
        : []),
      ...riskLines,
    ];
  }

  async #confirmDataLoss(risks: readonly DataRisk[], previous: StoredResource): Promise<void> {
    const c = this.context;
    const summary = [
      '',
      `${c.className} will change like this:`,
      ...this.#schemaLines(risks, previous),
      'Files:',
      ...this.planLines().map((line) => `  ${line}`),
    ].join('\n');
    if (!this.interactive || this.options.yes === true) {
      throw new UsageError(
        [
          `${riskHeading(risks).replace('This', `This change to ${c.table}`)}:`,
          ...risks.map((risk) => `  - ${risk.message}`),
          `${this.interactive ? '--yes does not confirm it' : 'No terminal is here to confirm it'}: pass --allow-data-loss to go ahead (or --dry-run to see the whole change). Nothing was written.`,
        ].join('\n'),
        'E_DATA_LOSS',
      );
    }
    this.log(summary);
    const { dataLoss } = await this.prompt([
      {
        type: 'confirm',
        name: 'dataLoss',
        message: `Go ahead and ${risks.map((risk) => risk.action).join(', ')}?`,
        default: false,
      },
    ] as never);
    if (dataLoss !== true)
      throw new UsageError(`Nothing was written; ${c.className} and its table are as they were.`, 'E_CANCELLED');
  }

  /** The create migration (first time, with -m), or one that changes the table as the schema plan says. */
  #writeMigration(c: ResourceContext, previous: StoredResource | undefined): void {
    const directory = this.destinationPath(MIGRATIONS);
    const stamp = migrationStamp(existsSync(directory) ? readdirSync(directory) : []);
    if (!this.#hasTable(previous)) {
      if (!this.migration) return;
      this.#migrationFile = `${stamp}_create_${c.table}_table.ts`;
      this.render(this.templatePath('migration.ts.ejs'), this.destinationPath(MIGRATIONS, this.#migrationFile), c);
    } else {
      // The table exists: the change is a new migration; the ones already written are never rewritten.
      const plan = migrationPlan(c.table, this.#schema!.steps);
      if (plan.up.steps.length === 0) return;
      this.#migrationFile = `${stamp}_alter_${c.table}_table.ts`;
      const directions = [
        { name: 'up', ...plan.up },
        { name: 'down', ...plan.down },
      ];
      this.render(this.templatePath('alter-migration.ts.ejs'), this.destinationPath(MIGRATIONS, this.#migrationFile), {
        ...c,
        directions,
        helpers: migrationHelpers(plan),
        summary: describeChange(this.#schema!),
      });
    }
    this.plan.push({ file: `${MIGRATIONS}/${this.#migrationFile}`, action: 'create' });
  }

  /**
   * The pivot table of each many-to-many this run adds, and of each it drops: a migration each,
   * after the table's own.
   */
  #writePivotMigrations(c: ResourceContext, previous: StoredResource | undefined): void {
    const directory = this.destinationPath(MIGRATIONS);
    const existing = [
      ...(existsSync(directory) ? readdirSync(directory) : []),
      ...(this.#migrationFile ? [this.#migrationFile] : []),
    ];
    const added = this.#belongsToMany.filter((name) => !previous?.belongsToMany?.includes(name));
    // A pivot that was never made: its pending create migration goes, and no drop is written.
    for (const file of this.#pivotsNeverMade.values()) {
      this.#deleteMigration(file);
      this.#deletedMigrations.push(file);
    }
    for (const [name, drop] of [
      ...added.map((name) => [name, false] as const),
      ...this.#unlinked.filter((name) => !this.#pivotsNeverMade.has(name)).map((name) => [name, true] as const),
    ]) {
      const other = { table: this.resources[name]!.table, className: name };
      this.#pivotMigrations.push(this.#renderPivotMigration(existing, drop, c, other));
    }
  }

  /** Writes the migration that creates (or drops) the pivot `owner` keeps with `other`; returns its file, added to `existing`. */
  #renderPivotMigration(existing: string[], drop: boolean, owner: PivotSide, other: PivotSide): string {
    const { table, keys } = pivotTable(owner.table, other.table);
    const file = `${migrationStamp(existing)}_${drop ? 'drop' : 'create'}_${table}_table.ts`;
    existing.push(file);
    this.render(this.templatePath('pivot-migration.ts.ejs'), this.destinationPath(MIGRATIONS, file), {
      drop,
      pivot: table,
      sides: [owner, other].map((side) => ({ ...side, key: keys[side.table]! })),
    });
    this.plan.push({ file: `${MIGRATIONS}/${file}`, action: 'create' });
    return file;
  }

  /** Deletes a migration that never ran. */
  #deleteMigration(file: string): void {
    this.fs.delete(this.destinationPath(MIGRATIONS, file));
    this.markOverwrite(`${MIGRATIONS}/${file}`);
    this.plan.push({ file: `${MIGRATIONS}/${file}`, action: 'delete' });
  }

  /**
   * The pivots of a resource being removed go before its table: a drop migration each (a linker's
   * recorded in its history; the resource's own go with it), or, when the pivot never ran, its
   * create migration deleted. `existing` (the migration files) gains the new ones.
   */
  #removePivots(stored: StoredResource, existing: string[]): void {
    const removed = { table: stored.table, className: this.#removing! };
    // None of its migrations ran: they are all deleted, its own pivots' creates with them.
    const tableMade = this.#removedMigrations.length === 0;
    for (const name of tableMade ? this.#removedLinks.own : []) {
      const other = this.resources[name]!;
      const created = this.#pivotNeverRun(stored, other);
      if (created) this.#deleteMigration(created);
      else
        this.#pivotMigrations.push(
          this.#renderPivotMigration(existing, true, removed, { table: other.table, className: name }),
        );
    }
    for (const name of this.#removedLinks.linkers) {
      const linker = this.resources[name]!;
      const created = this.#pivotNeverRun(linker, stored);
      if (created) {
        this.#deleteMigration(created);
        this.#linkerMigrations.set(
          name,
          linker.migrations.filter((file) => file !== created),
        );
        continue;
      }
      const file = this.#renderPivotMigration(existing, true, { table: linker.table, className: name }, removed);
      this.#pivotMigrations.push(file);
      this.#linkerMigrations.set(name, [...linker.migrations, file]);
    }
  }

  /** Deletes the resource's generated files and registrations, and drops its table (or deletes its migrations that never ran). */
  async #planRemoval(): Promise<void> {
    const c = this.context;
    const stored = this.resources[c.className]!;
    const generated = Object.keys(stored.checksums ?? {}).filter(
      (file) => !file.startsWith(`${MIGRATIONS}/`) && existsSync(this.destinationPath(file)),
    );
    const edited = generated.filter(
      (file) => checksum(readFileSync(this.destinationPath(file), 'utf8')) !== stored.checksums![file],
    );
    if (edited.length > 0 && this.options.force !== true && !this.dryRun) {
      throw new UsageError(
        `These files of ${c.className} were changed since fastpy wrote them: ${edited.join(', ')}. Pass --force to delete them anyway. Nothing was removed.`,
        'E_CONFLICT',
      );
    }
    const migrations = this.#removedMigrations
      .map((file) => `${MIGRATIONS}/${file}`)
      .filter((file) => existsSync(this.destinationPath(file)));
    for (const file of [
      ...generated,
      ...migrations,
      ...generated.map((file) => join(BASE_DIR, file)).filter((file) => existsSync(this.destinationPath(file))),
    ]) {
      this.fs.delete(this.destinationPath(file));
      this.markOverwrite(file);
      this.plan.push({ file, action: 'delete' });
    }
    this.unregisterIn(
      'src/routes/index.ts',
      `import { ${c.camelName}Routes } from './${c.pluralFileName}.js';`,
      `  ${c.camelName}Routes,`,
    );
    this.unregisterIn(
      'src/factories/index.ts',
      `import { ${c.camelName}Factory } from './${c.fileName}-factory.js';`,
      `    ${c.table}: ${c.camelName}Factory as FactoryBuilder,`,
    );
    const directory = this.destinationPath(MIGRATIONS);
    const existing = existsSync(directory) ? readdirSync(directory) : [];
    this.#removePivots(stored, existing);
    if (stored.migrations.length > 0 && this.#removedMigrations.length === 0) {
      this.#migrationFile = `${migrationStamp(existing)}_drop_${c.table}_table.ts`;
      this.render(this.templatePath('drop-migration.ts.ejs'), this.destinationPath(MIGRATIONS, this.#migrationFile), c);
      this.plan.push({ file: `${MIGRATIONS}/${this.#migrationFile}`, action: 'create' });
    }
    const parents = this.#renderParents(c.className, undefined, parseFieldSpecs(stored.fields));
    const settled = await this.settleFiles(parents, this.#parentChecksums(parents));
    this.#outputs = settled.outputs;
    if (!this.dryRun) await this.resolveConflicts(settled.pending);
    if (this.dryRun) this.discardForDryRun(this.#databaseNote ? [this.#databaseNote] : []);
  }

  writing(): void {
    if (this.dryRun) return;
    const c = this.context;
    const previous = this.#previous;
    if (this.options.remove === true) {
      // Those that belonged to many of it no longer do; their pivot's migrations are in their history.
      const others = Object.fromEntries(
        Object.entries(this.resources)
          .filter(([name]) => name !== c.className)
          .map(([name, resource]): [string, StoredResource] => {
            const history = this.#linkerMigrations.get(name);
            if (!history) return [name, resource];
            const { belongsToMany, ...rest } = resource;
            const kept = (belongsToMany ?? []).filter((other) => other !== c.className);
            return [name, { ...rest, ...(kept.length > 0 ? { belongsToMany: kept } : {}), migrations: history }];
          }),
      );
      this.config.set('resources', this.#withParentChecksums(others));
      return;
    }
    const migrations = [
      ...(previous?.migrations ?? []).filter((file) => !this.#deletedMigrations.includes(file)),
      ...(this.#migrationFile ? [this.#migrationFile] : []),
      ...this.#pivotMigrations,
    ];
    const own = Object.fromEntries(Object.entries(this.#outputs).filter(([file]) => !this.#parentFiles.has(file)));
    const checksums = { ...previous?.checksums, ...this.checksums(own) };
    if (this.#usersTable) {
      const users: StoredUsers = { fields: c.fields.map(formatFieldSpec), migrations, checksums };
      this.config.set('users', users);
      return;
    }
    this.config.set(
      'resources',
      this.#withParentChecksums({
        ...this.resources,
        [c.className]: {
          fields: c.fields.map(formatFieldSpec),
          protected: c.protected,
          ...(c.owner ? { owned: true } : {}),
          ...(this.#belongsToMany.length > 0 ? { belongsToMany: this.#belongsToMany } : {}),
          table: c.table,
          migrations,
          checksums,
        },
      }),
    );
  }

  end(): void {
    if (this.dryRun) return;
    const c = this.context;
    const migrated = this.#migrationFile !== undefined || this.#pivotMigrations.length > 0;
    if (this.options.remove === true) {
      this.log(
        [
          '',
          `${c.className} removed:`,
          ...this.planLines().map((line) => `  ${line}`),
          ...(this.#databaseNote ? ['', this.#databaseNote] : []),
          ...(migrated
            ? [
                '',
                'Next:',
                `  npm run migrate   (drops ${[...this.#pivotMigrations.map(droppedTable), ...(this.#migrationFile ? [c.table] : [])].join(', ')}: their rows are deleted)`,
              ]
            : []),
          '',
        ].join('\n'),
      );
      return;
    }
    const needsTable = this.definesFields && !migrated && !this.#hasTable(this.#previous);
    const linked = c.manyToMany
      .filter((many) => many.declared)
      .map((many) => `${many.modelName} (${many.pivot.table})`);
    const fieldCount = `${c.fields.length} field${c.fields.length === 1 ? '' : 's'}`;
    this.log(
      [
        '',
        this.#usersTable
          ? `User (authentication's model): table users, ${fieldCount} of the project's; POST /api/auth/register takes them, /api/auth/me and login show them`
          : `${c.className}: table ${c.table}, ${fieldCount}${this.spec.parts.includes('route') ? `, routes ${c.routePath}${c.owner ? " (protected; each record its creator's)" : c.protected ? ' (protected)' : ''}` : ''}${linked.length > 0 ? `; belongs to many ${linked.join(', ')}` : ''}`,
        // The wizard showed the plan before asking to go ahead: here only what was done, counted.
        ...(this.#wizard
          ? [`Done: ${this.planCounts()}.`]
          : [
              ...this.#schemaLines([], this.#previous).filter((line) => line !== ''),
              'Files:',
              ...this.planLines().map((line) => `  ${line}`),
            ]),
        ...(this.#databaseNote ? ['', this.#databaseNote] : []),
        '',
        'Next:',
        ...(this.#installs.length > 0 ? [`  npm install       (file uploads: ${pinnedNames(this.#installs)})`] : []),
        ...(migrated ? ['  npm run migrate'] : []),
        ...(needsTable ? [`  write a migration for ${c.table} (or run again with -m), then npm run migrate`] : []),
        '  npm test',
        '',
      ].join('\n'),
    );
  }
}

/** The table a drop migration drops: 20260101000000_drop_post_tag_table.ts → post_tag. */
const droppedTable = (file: string) => file.replace(/^\d+_drop_(.+)_table\.ts$/, '$1');

/** What the risks put at stake: `This can lose data`, `This can stop the migration`, or both. */
function riskHeading(risks: readonly DataRisk[]): string {
  const loses = risks.some((risk) => risk.kind !== 'required');
  const stops = risks.some((risk) => risk.kind === 'required');
  return `This ${[loses ? 'can lose data' : '', stops ? 'can stop the migration' : ''].filter(Boolean).join(' and ')}`;
}

/** A bad field spec or change as the user sees it (nothing has been written yet); other errors as they are. */
function asUsageError(error: unknown): unknown {
  return error instanceof FieldSpecError || error instanceof ResourceChangeError
    ? new UsageError(`${error.message}\nNothing was written.`, error.code)
    : error;
}

function isEmpty(request: FieldChangeRequest): boolean {
  return request.set.length === 0 && request.remove.length === 0 && request.rename.length === 0;
}

/** Why a users field may not take one of authentication's column names (the wizard and the flags say the same). */
function authColumnProblem(name: string): string {
  return `"${name}" is authentication's column of users: give the field another name`;
}

/**
 * A change to the users' fields touches only the project's columns: authentication's (name, email,
 * …) are the runtime's, and an upload field would need an upload route users do not have.
 */
function checkUserFieldChange(change: FieldChangeRequest): void {
  const auth = new Set<string>(AUTH_USER_COLUMNS);
  const touched = [
    ...change.set.map((field) => field.name),
    ...change.remove,
    ...change.rename.flatMap((rename) => [rename.from, rename.to]),
  ].find((name) => auth.has(name));
  if (touched !== undefined)
    throw new UsageError(
      `${authColumnProblem(touched)} (${AUTH_USER_COLUMNS.join(', ')} are authentication's; fastpy does not change them). Nothing was written.`,
      'E_FIELD_CHANGE',
    );
  const upload = change.set.find((field) => field.type === 'file' || field.type === 'image');
  if (upload)
    throw new UsageError(
      `${upload.name}: ${upload.type === 'image' ? 'an' : 'a'} ${upload.type} field needs an upload route, which users (registered through /api/auth) do not have; keep the path in a url or string field, or put the file on a resource of its own. Nothing was written.`,
      'E_FIELD_CHANGE',
    );
}

/**
 * The fields src/models/user.ts lists in `userFields`, as the field language: before fastpy kept
 * them in .yo-rc.json an owner added them by hand, as `parseFieldSpec('phone:string:nullable')`.
 *
 * @example
 * userFieldsIn("export const userFields = [parseFieldSpec('phone:phone')];") // ['phone:phone']
 */
export function userFieldsIn(source: string): string[] {
  const unreadable = (what: string) =>
    new UsageError(
      `${USER_MODEL.file}: ${what}. fastpy reads the users' fields from it until it keeps them in .yo-rc.json: write each as parseFieldSpec('name:type:rules') in \`export const userFields = [ … ]\`, then run again. Nothing was written.`,
      'E_USER_MODEL',
    );
  const list = /export const userFields\b[^=]*=\s*\[([\s\S]*?)\];/.exec(source);
  if (!list) throw unreadable('it has no `export const userFields = [ … ];`');
  const body = list[1]!.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const specs: string[] = [];
  const rest = body.replace(/parseFieldSpec\(\s*(['"`])((?:(?!\1)[^\\])*)\1\s*\)/g, (_match, _quote, spec: string) => {
    specs.push(spec);
    return '';
  });
  if (rest.replace(/[\s,]/g, '') !== '') throw unreadable(`userFields holds entries other than parseFieldSpec('…')`);
  try {
    return parseFieldSpecs(specs).map(formatFieldSpec);
  } catch (error) {
    throw asUsageError(error);
  }
}
