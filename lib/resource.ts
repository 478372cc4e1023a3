// Everything the resource templates render from, computed once: names, the field definitions as
// TypeScript, record types and migration columns. Templates hold loops and conditionals only.
import { ownerField, TYPES, type FieldDefinition } from '../runtime/fields/spec.js';
import { camelCase, foreignKeyName, kebabCase, pascalCase, pluralName, routePath, tableName } from './naming.js';
import type { ColumnStep } from './resource-change.js';

export interface ResourceNames {
  /** BlogPost */
  className: string;
  /** blogPost */
  camelName: string;
  /** blog-post (model, repository, service, controller, factory files) */
  fileName: string;
  /** blog-posts (routes and test files) */
  pluralFileName: string;
  /** blog_posts */
  table: string;
  /** /api/blog-posts */
  routePath: string;
}

/**
 * @example
 * resourceNames('blog_post').routePath // '/api/blog-posts'
 */
export function resourceNames(name: string): ResourceNames {
  const className = pascalCase(name);
  return {
    className,
    camelName: camelCase(className),
    fileName: kebabCase(className),
    pluralFileName: kebabCase(pluralName(className)),
    table: tableName(className),
    routePath: routePath(className),
  };
}

/** The class name of authentication's model: its table is built in, its fields the project's (src/models/user.ts). */
export const USER_CLASS = 'User';

/** Why a resource name cannot be used, or undefined. */
export function resourceNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name))
    return `"${name}" is not a resource name: use letters and digits, e.g. Post or BlogPost`;
  const className = pascalCase(name);
  if (pluralName(className) === className)
    return `"${name}" has no distinct plural (the table and model names would clash); pick a singular noun`;
  if ([USER_CLASS, 'AuthSession', 'RefreshToken', 'OneTimeToken', 'LoginFailure'].includes(className))
    return `"${className}" is built in (the ${tableName(className)} table belongs to authentication)`;
  return undefined;
}

/** A JavaScript value as a TypeScript literal (single quotes, unquoted keys). */
export function tsLiteral(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : tsLiteral(key)}: ${tsLiteral(item)}`).join(', ')} }`;
}

/** The TypeScript type of a field on the record (nullable unless required). */
export function recordType(field: FieldDefinition): string {
  return `${TYPES[field.type].tsType}${alwaysSet(field) ? '' : ' | null'}`;
}

/** Whether every row has a value: required, or given a default and not nullable (null is refused). */
export function alwaysSet(field: FieldDefinition): boolean {
  return (
    field.rules.required === true ||
    (field.rules.default !== undefined && field.rules.default !== null && !field.rules.nullable)
  );
}

/** The Knex default expression of a field, or undefined when the column gets none. */
function columnDefault(field: FieldDefinition): string | undefined {
  const value = field.rules.default;
  if (value === undefined) return undefined;
  // MySQL refuses defaults on TEXT/JSON columns: those defaults are applied by the application only.
  if (TYPES[field.type].column.noDefault) return undefined;
  if (value === null) return 'null';
  if (value === 'now' && field.type === 'datetime') return 'now';
  return tsLiteral(value);
}

/**
 * The Knex column builder and its arguments for a field (a string's length is its `max`).
 *
 * @example
 * columnShape(parseFieldSpec('title:string:max:200')) // { method: 'string', args: [200] }
 */
export function columnShape(field: FieldDefinition): { method: string; args: ReadonlyArray<number | string> } {
  const { method, args, sizedByMax } = TYPES[field.type].column;
  return { method, args: sizedByMax && field.rules.max !== undefined ? [field.rules.max] : args };
}

/**
 * The Knex statement for a field's column: `create` (a new table), `add` (a new column of an
 * existing table: a required field without a default is added nullable, as existing rows have no
 * value for it) or `alter` (the column definition only; keys are changed separately).
 *
 * @example
 * migrationColumn(parseFieldSpec('title:string:required,max:200'))
 * // "table.string('title', 200).notNullable()"
 */
export function migrationColumn(field: FieldDefinition, mode: 'create' | 'add' | 'alter' = 'create'): string {
  const { rules } = field;
  const { method, args } = columnShape(field);
  const { options } = TYPES[field.type].column;
  let code = `table.${method}(${[tsLiteral(field.name), ...args.map(String), ...(options ? [options] : [])].join(', ')})`;
  if (rules.foreign && TYPES[field.type].family === 'integer') code += '.unsigned()';
  const fallback = columnDefault(field);
  const notNull = alwaysSet(field) && !(mode === 'add' && fallback === undefined);
  code += notNull ? '.notNullable()' : '.nullable()';
  if (fallback === 'now') code += '.defaultTo(dialectOf(knex).currentTimestamp(knex))';
  else if (fallback !== undefined) code += `.defaultTo(${fallback})`;
  if (mode === 'alter') return `${code}.alter()`;
  if (rules.unique) code += '.unique()';
  else if (rules.index) code += '.index()';
  if (rules.foreign)
    code += `.references(${tsLiteral(rules.foreign.column)}).inTable(${tsLiteral(rules.foreign.table)})`;
  return code;
}

const quote = tsLiteral;

/** Statements dropping a column's keys (foreign key, unique, index), named after the column `name`. */
function dropKeys(field: FieldDefinition, name = field.name): string[] {
  const statements: string[] = [];
  if (field.rules.foreign) statements.push(`table.dropForeign([${quote(name)}])`);
  if (field.rules.unique) statements.push(`table.dropUnique([${quote(name)}])`);
  else if (field.rules.index) statements.push(`table.dropIndex([${quote(name)}])`);
  return statements;
}

/** Statements adding a column's keys to an existing column `name`. */
function addKeys(field: FieldDefinition, name = field.name): string[] {
  const statements: string[] = [];
  if (field.rules.unique) statements.push(`table.unique([${quote(name)}])`);
  else if (field.rules.index) statements.push(`table.index([${quote(name)}])`);
  if (field.rules.foreign)
    statements.push(
      `table.foreign(${quote(name)}).references(${quote(field.rules.foreign.column)}).inTable(${quote(field.rules.foreign.table)})`,
    );
  return statements;
}

const plainIndex = (field: FieldDefinition) => Boolean(field.rules.index && !field.rules.unique);

/** Blocks turning a column from one definition into another: changed keys dropped, the column altered, keys added. */
function changeBlocks(table: string, from: FieldDefinition, to: FieldDefinition): MigrationBlock[] {
  const name = quote(from.name);
  const foreignChanged = JSON.stringify(from.rules.foreign ?? null) !== JSON.stringify(to.rules.foreign ?? null);
  const drop: string[] = [];
  const add: string[] = [];
  if (from.rules.foreign && foreignChanged) drop.push(`table.dropForeign([${name}])`);
  if (from.rules.unique && !to.rules.unique) drop.push(`table.dropUnique([${name}])`);
  if (plainIndex(from) && !plainIndex(to)) drop.push(`table.dropIndex([${name}])`);
  if (to.rules.unique && !from.rules.unique) add.push(`table.unique([${name}])`);
  if (plainIndex(to) && !plainIndex(from)) add.push(`table.index([${name}])`);
  if (to.rules.foreign && foreignChanged)
    add.push(
      `table.foreign(${name}).references(${quote(to.rules.foreign.column)}).inTable(${quote(to.rules.foreign.table)})`,
    );
  const blocks: MigrationBlock[] = [{ alter: drop }];
  // Existing rows need a value before the column becomes NOT NULL: the default here (without one,
  // the migration's checks stop it before anything changes: see becomesRequired).
  if (becomesRequired(from, to) && to.rules.default !== undefined)
    blocks.push({ code: `fillMissing(db, ${quote(table)}, ${name}, ${defaultExpression(to)})` });
  if (migrationColumn(from, 'alter') !== migrationColumn(to, 'alter'))
    blocks.push({ alter: [migrationColumn(to, 'alter')] });
  blocks.push({ alter: add });
  return blocks;
}

/** Whether a column becomes NOT NULL (rows without a value then need one). */
export const becomesRequired = (from: FieldDefinition, to: FieldDefinition): boolean =>
  !alwaysSet(from) && alwaysSet(to);

/** The value a migration fills existing rows with: the field's default as code. */
function defaultExpression(field: FieldDefinition): string {
  return field.rules.default === 'now' && field.type === 'datetime'
    ? 'dialectOf(knex).currentTimestamp(knex)'
    : tsLiteral(field.rules.default);
}

/** Part of a migration: statements on the table builder (one `alterTable` call), or an awaited call. */
export type MigrationBlock = { alter: string[] } | { code: string };

export interface MigrationStep {
  /** What the step does, for the migration's comments: `rename body → content`. */
  title: string;
  blocks: MigrationBlock[];
}

/** One direction of a migration: checks that stop it before anything changes, then its steps. */
export interface MigrationDirection {
  checks: string[];
  steps: MigrationStep[];
}

export interface MigrationPlan {
  up: MigrationDirection;
  /** Undoes `up`: its steps backwards. */
  down: MigrationDirection;
}

const nonEmpty = (blocks: readonly MigrationBlock[]) =>
  blocks.filter((block) => !('alter' in block) || block.alter.length > 0);

/**
 * The migration of a schema change: per column step, what `up` runs and what `down` runs to undo
 * it. Renames keep the data (their keys are renamed with them); a column that becomes required
 * gets its default in rows without a value, or, with no default, a check before anything changes
 * that stops the migration with the count. Steps that change only rules the API checks have no
 * statements and are left out.
 *
 * @example
 * migrationPlan('posts', [{ kind: 'rename', from: 'body', to: 'content', field }]).up.steps
 * // [{ title: 'rename body → content', blocks: [{ alter: ["table.renameColumn('body', 'content')"] }] }]
 */
export function migrationPlan(table: string, steps: readonly ColumnStep[]): MigrationPlan {
  const up: MigrationDirection = { checks: [], steps: [] };
  const down: MigrationDirection = { checks: [], steps: [] };
  // Checks run first, so they name columns as they are before the migration (before its renames).
  const originalName = new Map(
    steps.flatMap((step) => (step.kind === 'rename' ? [[step.to, step.from] as const] : [])),
  );
  const check = (column: string) => `requireValues(db, ${quote(table)}, ${quote(column)})`;
  const add = (title: string, forward: MigrationBlock[], backward: MigrationBlock[]) => {
    if (nonEmpty(forward).length === 0) return;
    up.steps.push({ title, blocks: nonEmpty(forward) });
    down.steps.unshift({ title: `undo: ${title}`, blocks: nonEmpty(backward) });
  };
  for (const step of steps) {
    switch (step.kind) {
      case 'rename': {
        const { from, to, field } = step;
        const rename = (a: string, b: string): MigrationBlock[] => [
          { alter: dropKeys(field, a) },
          { alter: [`table.renameColumn(${quote(a)}, ${quote(b)})`] },
          { alter: addKeys(field, b) },
        ];
        add(`rename ${from} → ${to}`, rename(from, to), rename(to, from));
        break;
      }
      case 'drop':
        add(
          `drop ${step.field.name}`,
          [{ alter: [...dropKeys(step.field), `table.dropColumn(${quote(step.field.name)})`] }],
          [{ alter: [migrationColumn(step.field, 'add')] }],
        );
        break;
      case 'add':
        add(
          `add ${step.field.name}`,
          [{ alter: [migrationColumn(step.field, 'add')] }],
          [{ alter: [...dropKeys(step.field), `table.dropColumn(${quote(step.field.name)})`] }],
        );
        break;
      case 'change': {
        const { before, after } = step;
        if (becomesRequired(before, after) && after.rules.default === undefined)
          up.checks.push(check(originalName.get(after.name) ?? after.name));
        if (becomesRequired(after, before) && before.rules.default === undefined) down.checks.push(check(after.name));
        add(`change ${after.name}`, changeBlocks(table, before, after), changeBlocks(table, after, before));
        break;
      }
    }
  }
  return { up, down };
}

/** The helpers of src/database/schema.ts a migration calls. */
export function migrationHelpers(plan: MigrationPlan): string[] {
  const code = migrationCode(plan);
  return ['fillMissing', 'requireValues'].filter((helper) => code.includes(`${helper}(`));
}

function migrationCode(plan: MigrationPlan): string {
  return [plan.up, plan.down]
    .flatMap((direction) => [
      ...direction.checks,
      ...direction.steps.flatMap((step) =>
        step.blocks.map((block) => ('code' in block ? block.code : block.alter.join('\n'))),
      ),
    ])
    .join('\n');
}

/** The column a generated owned resource keeps its owner in (Model.owner; see ownerField). */
export const OWNER_FIELD: FieldDefinition = ownerField('user_id');

/** A resource's columns: its fields, and an owned resource's owner last. */
export function tableColumns(fields: readonly FieldDefinition[], owned: boolean): FieldDefinition[] {
  return owned ? [...fields, OWNER_FIELD] : [...fields];
}

export interface ResourceContext extends ResourceNames {
  fields: readonly FieldDefinition[];
  /** `{ name: 'title', type: 'string', rules: { required: true } }` per field. */
  fieldLiterals: string[];
  recordFields: Array<{ name: string; type: string }>;
  columns: string[];
  /** Whether a column default needs the dialect (datetime default now). */
  usesDialect: boolean;
  protected: boolean;
  /** The seeder's order prefix (resources seed in the order they were created). */
  seedOrder: string;
  /** Records a response can include (`?include=author`): foreign keys to a table with a known model. */
  relations: Relation[];
  /** Records that point at this one (`?include=comments`, a hasMany): other resources' foreign keys to its table. */
  children: Relation[];
  /** The children the contract tests cover: those whose resource has a factory to make them. */
  testedChildren: Relation[];
  /** The other models the controller imports (its relations and children), each once. */
  controllerModels: ModelRef[];
  /** The other models the contract tests import (its relations and tested children), each once. */
  testModels: ModelRef[];
  /** The factories the contract tests import (those of the tested children), each once. */
  testFactories: Array<{ factoryName: string; modelFile: string }>;
  /** File and image fields: each gets an upload route, POST /:id/<field>. */
  uploadFields: string[];
  /**
   * The children with routes under this resource (`GET|POST /api/posts/:id/comments`): those whose
   * foreign key points at this resource's id; behind the token when either side's routes are.
   */
  nestedChildren: Array<
    Relation & { path: string; controllerName: string; controllerFile: string; variable: string; guarded: boolean }
  >;
  /** Its many-to-many relations, both ways (`?include=tags`, `tag_ids`, `filter[tags]`). */
  manyToMany: ManyToMany[];
  /** The controllers the routes file imports for the nested routes, each once. */
  nestedControllers: Array<{ controllerName: string; controllerFile: string }>;
  /** The tables the seeder attaches its records to (existing rows of its foreign keys' tables), if the runtime can. */
  seedParents: string[];
  /** Whether the model takes its fields (`new Model({ fields })`: casts and the references writes check), or only casts. */
  modelFields: boolean;
  /** An owned resource's owner column (`user_id`): its records are their creator's (Model.owner). */
  owner: string | undefined;
  /** Whether the contract tests' token() can ask for an admin's (the runtime's accessToken takes a user). */
  tokenForUser: boolean;
}

export interface Relation {
  /** The key in responses: the field without `_id` (author_id → author); for a hasMany, the other table (comments). */
  name: string;
  /** The column of this resource: its foreign key (belongsTo), or the key a child's points at (hasMany, `id`). */
  field: string;
  /** The column of the other resource: the key pointed at (belongsTo, `id`), or its foreign key (hasMany, `post_id`). */
  column: string;
  /** The related model's class name and file (src/models/<file>.ts). */
  modelName: string;
  modelFile: string;
  /** The model is the runtime's (User), not one of the project's. */
  runtimeModel?: boolean;
  /** For a hasMany whose resource has a factory: its name (`commentFactory`), for the contract tests. */
  factoryName?: string;
  /** For a hasMany: whether the child's own routes need the token (its nested routes then do too). */
  protected?: boolean;
}

/** A model a generated file imports (`<%- modelImport(model) %>` in templates: the project's src/models/<modelFile>.ts, or the runtime's). */
export type ModelRef = Pick<Relation, 'modelName' | 'modelFile' | 'runtimeModel'>;

/** The models of `relations` other than `self`, each once, in order. */
function modelsOf(relations: readonly ModelRef[], self: string): ModelRef[] {
  const seen = new Map<string, ModelRef>();
  for (const { modelName, modelFile, runtimeModel } of relations)
    if (modelName !== self && !seen.has(modelName))
      seen.set(modelName, { modelName, modelFile, ...(runtimeModel ? { runtimeModel } : {}) });
  return [...seen.values()];
}

/** Models a foreign key can point at: users (the project's User, or the runtime's), and the project's resources, by table. */
export type KnownModels = Record<string, { className: string; fileName: string; runtime?: boolean }>;

/** The relations of a resource: each foreign key to a table whose model is known. */
export function relationsOf(fields: readonly FieldDefinition[], models: KnownModels): Relation[] {
  const names = new Set(fields.map((field) => field.name));
  return fields.flatMap((field) => {
    const foreign = field.rules.foreign;
    const model = foreign ? models[foreign.table] : undefined;
    if (!foreign || !model) return [];
    const name = field.name.endsWith('_id') ? field.name.slice(0, -3) : `${field.name}_record`;
    if (names.has(name) || name === '') return [];
    return [
      {
        name,
        field: field.name,
        column: foreign.column,
        modelName: model.className,
        modelFile: model.fileName,
        ...(model.runtime ? { runtimeModel: true } : {}),
      },
    ];
  });
}

/** The project's resources as the relations see them: each one's table and fields, by class name. */
export type ResourceSet = Readonly<
  Record<
    string,
    {
      table: string;
      fields: readonly FieldDefinition[];
      factory?: boolean;
      protected?: boolean;
      /** The resources it belongs to many of (`--belongs-to-many Tag`), by class name. */
      belongsToMany?: readonly string[];
      /** Where its seeder runs (seeders run in the order resources were made). */
      seedIndex?: number;
    }
  >
>;

/** A many-to-many relation as generated code sees it: its include, its pivot table, the body field of its ids. */
export interface ManyToMany {
  /** The include (`tags`): the other resource's table. */
  name: string;
  modelName: string;
  modelFile: string;
  /** The other resource's factory, for the contract tests. */
  factoryName?: string;
  pivot: { table: string; key: string; relatedKey: string };
  /** The body field setting the links (`tag_ids`), on either side. */
  link: string;
  /** Whether this resource declared it (`--belongs-to-many`). */
  declared: boolean;
  /** Whether this side's seeder links the records: the side seeded later, when the other's rows exist (on a tie, the declaring side). */
  seeds: boolean;
}

/**
 * The pivot table of two tables: their singular names in alphabetical order (posts, tags →
 * post_tag), with a foreign key to each (post_id, tag_id).
 */
export function pivotTable(a: string, b: string): { table: string; keys: Record<string, string> } {
  const key = (table: string) => foreignKeyName(table);
  const [first, second] = [a, b].sort();
  return {
    table: `${key(first!).slice(0, -3)}_${key(second!).slice(0, -3)}`,
    keys: { [a]: key(a), [b]: key(b) },
  };
}

/**
 * The many-to-many relations of a resource, both ways: those it declares (`belongsToMany`), and
 * those others declare to it. Named after the other table; a name already taken is left out.
 */
export function manyToManyOf(
  className: string,
  table: string,
  declared: readonly string[],
  resources: ResourceSet,
  taken: ReadonlySet<string>,
  seedIndex?: number,
): ManyToMany[] {
  const others = [
    ...declared,
    ...Object.entries(resources)
      .filter(([name, resource]) => name !== className && resource.belongsToMany?.includes(className))
      .map(([name]) => name),
  ];
  const seen = new Set<string>();
  return others.flatMap((other) => {
    const resource = resources[other];
    if (!resource || seen.has(other) || taken.has(resource.table)) return [];
    seen.add(other);
    const { table: pivot, keys } = pivotTable(table, resource.table);
    const names = resourceNames(other);
    return [
      {
        name: resource.table,
        modelName: names.className,
        modelFile: names.fileName,
        ...(resource.factory ? { factoryName: `${names.camelName}Factory` } : {}),
        pivot: { table: pivot, key: keys[table]!, relatedKey: keys[resource.table]! },
        link: `${keys[resource.table]!.slice(0, -3)}_ids`,
        declared: declared.includes(other),
        seeds:
          seedIndex === undefined || resource.seedIndex === undefined || seedIndex === resource.seedIndex
            ? declared.includes(other)
            : seedIndex > resource.seedIndex,
      },
    ];
  });
}

/**
 * The hasMany relations of a resource: every other resource's foreign key to its table, named after
 * that table (`comments`), or after the table and the key where one resource has several
 * (`messages_by_sender`). A name a field or a belongsTo already has is left out.
 *
 * @example
 * childrenOf('Post', 'posts', { Comment: { table: 'comments', fields: [post_id → posts.id] } }, new Set())
 * // [{ name: 'comments', field: 'id', column: 'post_id', modelName: 'Comment', modelFile: 'comment' }]
 */
export function childrenOf(
  className: string,
  table: string,
  resources: ResourceSet,
  taken: ReadonlySet<string>,
): Relation[] {
  return Object.entries(resources).flatMap(([childName, child]) => {
    if (childName === className) return [];
    const keys = child.fields.filter((field) => field.rules.foreign?.table === table);
    return keys.flatMap((key) => {
      const name = keys.length === 1 ? child.table : `${child.table}_by_${key.name.replace(/_id$/, '')}`;
      if (taken.has(name)) return [];
      const names = resourceNames(childName);
      return [
        {
          name,
          field: key.rules.foreign!.column,
          column: key.name,
          modelName: childName,
          modelFile: names.fileName,
          ...(child.factory ? { factoryName: `${names.camelName}Factory` } : {}),
          ...(child.protected ? { protected: true } : {}),
        },
      ];
    });
  });
}

/** What the project's runtime offers generated code (an older copied runtime may lack some): all by default. */
export interface RuntimeCapabilities {
  /** Relation kind 'hasMany': parents include (and test) the records pointing at them. */
  hasMany: boolean;
  /** ResourceController.nested: a resource's routes under its parent. */
  nestedRoutes: boolean;
  /** createMany(…, { parents: 'existing' }): seeders attach records to the parents there are. */
  existingParents: boolean;
  /** new Model({ fields }): the model knows its references, which BaseService checks on every write. */
  modelFields: boolean;
  /** Model.owner and accessToken(db, user): owned resources. */
  owners: boolean;
  /** Relation kind 'belongsToMany' and linkExisting: many-to-many. */
  manyToMany: boolean;
}

export function resourceContext(
  name: string,
  fields: readonly FieldDefinition[],
  options: {
    protected: boolean;
    /** Its records belong to their creator (implies protected routes). */
    owned?: boolean;
    /** The resources it belongs to many of, by class name. */
    belongsToMany?: readonly string[];
    seedIndex: number;
    models?: KnownModels;
    resources?: ResourceSet;
    runtime?: RuntimeCapabilities;
  },
): ResourceContext {
  const owned = options.owned === true;
  const names = resourceNames(name);
  const relations = relationsOf(fields, options.models ?? {}).filter(
    (relation) => relation.modelName !== names.className,
  );
  const taken = new Set([...fields.map((field) => field.name), ...relations.map((relation) => relation.name)]);
  const children = childrenOf(names.className, names.table, options.resources ?? {}, taken);
  const testedChildren = children.filter((child) => child.factoryName !== undefined);
  const manyToMany = manyToManyOf(
    names.className,
    names.table,
    options.belongsToMany ?? [],
    options.resources ?? {},
    new Set([...taken, ...children.map((child) => child.name)]),
    options.seedIndex,
  );
  const manyModels = manyToMany.map(({ modelName, modelFile }) => ({ modelName, modelFile }));
  // A child's routes under this resource need its key to point at this resource's id.
  const nestedChildren = children
    .filter((child) => options.runtime?.nestedRoutes !== false && child.field === 'id')
    .map((child) => ({
      ...child,
      path: child.name.replaceAll('_', '-'),
      controllerName: `${child.modelName}Controller`,
      controllerFile: child.modelFile,
      variable: `nested${pascalCase(child.name)}`,
      guarded: options.protected || owned || child.protected === true,
    }));
  return {
    ...names,
    fields,
    fieldLiterals: fields.map(fieldLiteral),
    recordFields: tableColumns(fields, owned).map(recordField),
    columns: tableColumns(fields, owned).map((field) => migrationColumn(field)),
    usesDialect: fields.some((field) => field.rules.default === 'now'),
    protected: options.protected || owned,
    owner: owned ? OWNER_FIELD.name : undefined,
    tokenForUser: options.runtime?.owners !== false,
    seedOrder: String(options.seedIndex).padStart(2, '0'),
    relations,
    children,
    testedChildren,
    manyToMany,
    controllerModels: modelsOf([...relations, ...children, ...manyModels], names.className),
    testModels: modelsOf([...relations, ...testedChildren, ...manyModels], names.className),
    testFactories: [
      ...new Map(
        [...testedChildren, ...manyToMany.filter((many) => many.factoryName !== undefined)].map((child) => [
          child.factoryName!,
          { factoryName: child.factoryName!, modelFile: child.modelFile },
        ]),
      ).values(),
    ],
    uploadFields: fields.filter((field) => field.type === 'file' || field.type === 'image').map((field) => field.name),
    nestedChildren,
    seedParents:
      options.runtime?.existingParents === false
        ? []
        : [
            ...new Set(
              tableColumns(fields, owned).flatMap((field) => (field.rules.foreign ? [field.rules.foreign.table] : [])),
            ),
          ],
    modelFields: options.runtime?.modelFields !== false,
    nestedControllers: [
      ...new Map(
        nestedChildren.map((child) => [
          child.controllerName,
          { controllerName: child.controllerName, controllerFile: child.controllerFile },
        ]),
      ).values(),
    ],
  };
}

/** What src/models/user.ts renders from: the fields the project added to users. */
export interface UserModelContext {
  fieldLiterals: string[];
  recordFields: Array<{ name: string; type: string }>;
}

/**
 * @example
 * userModelContext([parseFieldSpec('phone:phone:required')]).recordFields // [{ name: 'phone', type: 'string' }]
 */
export function userModelContext(fields: readonly FieldDefinition[]): UserModelContext {
  return { fieldLiterals: fields.map(fieldLiteral), recordFields: fields.map(recordField) };
}

/** A field as the TypeScript literal of its definition: `{ name: 'title', type: 'string', rules: { required: true } }`. */
function fieldLiteral(field: FieldDefinition): string {
  return tsLiteral({ name: field.name, type: field.type, rules: field.rules });
}

function recordField(field: FieldDefinition): { name: string; type: string } {
  return { name: field.name, type: recordType(field) };
}

/** A migration file name stamp (YYYYMMDDHHmmss, UTC), later than every existing one. */
export function migrationStamp(existing: readonly string[], now = new Date()): string {
  const stamp = (date: Date) => date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const latest = existing
    .map((file) => /^(\d{14})_/.exec(file)?.[1])
    .filter((value): value is string => value !== undefined)
    .sort()
    .at(-1);
  if (latest === undefined || stamp(now) > latest) return stamp(now);
  const [, y, mo, d, h, mi, se] = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(latest)!;
  return stamp(new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se) + 1)));
}
