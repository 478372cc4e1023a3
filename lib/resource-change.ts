// Changing a resource: its stored fields and what a run asks for (fields to add or change, renames,
// removals) become the new field list and the schema change column by column — each column added,
// changed, renamed or dropped, with its type, and which changes can lose data. Leaving a field out
// never removes it. Pure: no files, no database (facts about the rows come in as arguments).
import { FastpyError } from '../runtime/utils/errors.js';
import { isDeepStrictEqual } from 'node:util';
import { closest, fieldNameProblem, TYPES, type FieldDefinition } from '../runtime/fields/spec.js';
import { becomesRequired, columnShape, migrationPlan } from './resource.js';

/** What a run asks to change. Fields not named stay as they are. */
export interface FieldChangeRequest {
  /** Fields to add, or to change (matched by name). */
  set: readonly FieldDefinition[];
  /** Columns to rename (the data stays). A renamed field may also be changed by `set`, under its new name. */
  rename: ReadonlyArray<{ from: string; to: string }>;
  /** Fields to remove (their columns are dropped). */
  remove: readonly string[];
}

/** One column's change, in the order the migration applies them: renames, drops, changes, adds. */
export type ColumnStep =
  | { kind: 'rename'; from: string; to: string; field: FieldDefinition }
  | { kind: 'drop'; field: FieldDefinition }
  | { kind: 'change'; before: FieldDefinition; after: FieldDefinition }
  | { kind: 'add'; field: FieldDefinition };

/** A change that can lose data or stop the migration: named, and confirmed before anything is written. */
export interface DataRisk {
  column: string;
  kind: 'drop' | 'narrow' | 'required';
  message: string;
  /** The step in a few words, for a question: `drop cover`. */
  action: string;
}

export interface SchemaPlan {
  /** The resource's fields after the change: the stored order, renamed in place, new ones last. */
  fields: FieldDefinition[];
  steps: ColumnStep[];
  risks: DataRisk[];
  /** Columns that become NOT NULL with no default: how many rows lack a value decides whether that is a risk. */
  becomeRequired: string[];
}

/** Tables a foreign key may point at, each with the columns it may reference (id and unique columns). */
export type KnownTables = Readonly<Record<string, readonly string[]>>;

export interface ChangeFacts {
  /** The resource's own table (a foreign key may point at it). */
  table: string;
  tables: KnownTables;
  /** Rows without a value, by column, where the database was asked (undefined: not known). */
  rowsWithoutValue?: Readonly<Record<string, number>>;
  /** Foreign keys of other resources that point at this table, by the column they reference: `{ slug: ['Comment.article_slug'] }`. */
  referencedBy?: Readonly<Record<string, readonly string[]>>;
  /** The table has columns besides the fields (users: authentication's), so it may be left with none. */
  mayHaveNoFields?: boolean;
}

/** A change that cannot be made: every problem, each naming its field. */
export class ResourceChangeError extends FastpyError {
  constructor(readonly problems: string[]) {
    super(
      'E_FIELD_CHANGE',
      problems.length === 1
        ? problems[0]!
        : `The change cannot be made:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
}

/** Parses `--rename-field old:new` values (or a --config object `{ "old": "new" }`). */
export function parseRenames(raw: unknown): Array<{ from: string; to: string }> {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw))
    return Object.entries(raw as Record<string, unknown>).map(([from, to]) => ({ from, to: String(to) }));
  return ([] as unknown[]).concat(raw ?? []).map((value) => {
    const match = /^\s*([^:\s]+)\s*:\s*([^:\s]+)\s*$/.exec(String(value));
    if (!match)
      throw new ResourceChangeError([
        `--rename-field "${String(value)}": write it as old_name:new_name, e.g. --rename-field body:content`,
      ]);
    return { from: match[1]!, to: match[2]! };
  });
}

/** The column a field has, in the words of the migration: `string(200)`, `decimal(10,2)`, `text`. */
export function columnType(field: FieldDefinition): string {
  const { method, args } = columnShape(field);
  return args.length > 0 ? `${method}(${args.join(',')})` : method;
}

/**
 * A field as the summary shows it: type, column and the rules that shape the column.
 *
 * @example
 * describeField(parseFieldSpec('price:money:required')) // 'money, decimal(15,2), required'
 */
export function describeField(field: FieldDefinition): string {
  const column = columnType(field);
  const parts = column === field.type || column.startsWith(`${field.type}(`) ? [column] : [field.type, column];
  if (field.rules.required) parts.push('required');
  if (field.rules.nullable) parts.push('nullable');
  if (field.rules.unique) parts.push('unique');
  if (field.rules.index) parts.push('index');
  if (field.rules.foreign) parts.push(`→ ${field.rules.foreign.table}.${field.rules.foreign.column}`);
  if (field.rules.default !== undefined)
    parts.push(
      `default ${typeof field.rules.default === 'object' ? JSON.stringify(field.rules.default) : String(field.rules.default)}`,
    );
  return parts.join(', ');
}

/** Integer digits and scale of a numeric column (integers as decimals with no scale). */
function digits(field: FieldDefinition): { whole: number; scale: number } | undefined {
  if (field.type === 'integer') return { whole: 10, scale: 0 };
  if (field.type === 'bigint') return { whole: 19, scale: 0 };
  const shape = TYPES[field.type].decimal;
  return shape ? { whole: shape.integerDigits, scale: shape.scale } : undefined;
}

/** Why the column of `after` cannot hold every value of `before`'s, or undefined when it can. */
export function narrowing(before: FieldDefinition, after: FieldDefinition): string | undefined {
  const from = columnShape(before);
  const to = columnShape(after);
  if (from.method === to.method && isDeepStrictEqual(from.args, to.args)) return undefined;
  const name = after.name;
  const change = `${columnType(before)} → ${columnType(after)}`;
  if (from.method === 'string' && to.method === 'string') {
    return Number(to.args[0]) >= Number(from.args[0])
      ? undefined
      : `${name}: ${change}: values longer than ${String(to.args[0])} characters do not fit`;
  }
  if (from.method === 'string' && to.method === 'text') return undefined;
  if (from.method === 'text' && to.method === 'string')
    return `${name}: ${change}: values longer than ${String(to.args[0])} characters do not fit`;
  const a = digits(before);
  const b = digits(after);
  if (a && b) {
    if (b.whole >= a.whole && b.scale >= a.scale) return undefined;
    if (b.scale < a.scale)
      return `${name}: ${change}: values are rounded to ${b.scale} decimal place${b.scale === 1 ? '' : 's'}${b.whole < a.whole ? `, and those over ${b.whole} digits before the point do not fit` : ''}`;
    return `${name}: ${change}: values with more than ${b.whole} digits before the point do not fit`;
  }
  // An integer fits a double exactly (int32 always; int64 only up to 2^53).
  if (before.type === 'integer' && to.method === 'double') return undefined;
  return `${name}: ${change}: values that do not convert to ${after.type} are lost or stop the migration`;
}

/**
 * Why a foreign key cannot point at `table.column`: a table the project does not have (with a
 * suggestion for a near miss), or a column that is neither its id nor unique. Undefined when it can.
 *
 * @example
 * foreignTargetProblem('user', 'id', { users: ['id', 'email'] })
 * // 'the project has no table "user" (did you mean "users"?); tables: users'
 */
export function foreignTargetProblem(table: string, column: string, tables: KnownTables): string | undefined {
  const columns = tables[table];
  if (!columns) {
    const names = Object.keys(tables).sort();
    const suggestion = closest(table, names);
    return `the project has no table "${table}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; tables: ${names.join(', ')}`;
  }
  if (!columns.includes(column))
    return `${table}.${column} cannot be referenced: a foreign key points at id or a unique column (${columns.map((name) => `${table}.${name}`).join(', ')})`;
  return undefined;
}

/** The tables a field of this resource may point at: the project's, and its own with its id and unique fields. */
function targetsOf(facts: ChangeFacts, fields: readonly FieldDefinition[]): KnownTables {
  return {
    ...facts.tables,
    [facts.table]: ['id', ...fields.filter((field) => field.rules.unique).map((field) => field.name)],
  };
}

/**
 * The new field list and the schema change for a request against the stored fields. Throws a
 * ResourceChangeError naming every problem (unknown field to rename or remove, a name taken, a
 * foreign key to a table the project lacks, no field left).
 *
 * @example
 * planFieldChange(stored, { set: [views], rename: [{ from: 'body', to: 'content' }], remove: ['cover'] }, facts)
 * // { fields: [...], steps: [rename body→content, drop cover, add views], risks: [drop cover] }
 */
export function planFieldChange(
  stored: readonly FieldDefinition[],
  request: FieldChangeRequest,
  facts: ChangeFacts,
): SchemaPlan {
  const problems: string[] = [];
  const storedNames = new Set(stored.map((field) => field.name));
  const fields = stored.map((field) => ({ ...field }));
  const steps: ColumnStep[] = [];

  const seen = new Set<string>();
  for (const { from, to } of request.rename) {
    if (!storedNames.has(from))
      problems.push(
        `--rename-field ${from}:${to}: ${stored.length ? `there is no field "${from}"${suggest(from, stored)}` : 'the resource has no fields yet'}`,
      );
    else if (fieldNameProblem(to)) problems.push(`--rename-field ${from}:${to}: ${fieldNameProblem(to)}`);
    else if (from === to) problems.push(`--rename-field ${from}:${to}: the new name is the old one`);
    else if (seen.has(from)) problems.push(`--rename-field ${from}:${to}: "${from}" is renamed twice`);
    else if (fields.some((field) => field.name === to))
      problems.push(`--rename-field ${from}:${to}: "${to}" is already a field`);
    else if (request.remove.includes(from)) problems.push(`--rename-field ${from}:${to}: "${from}" is also removed`);
    else {
      seen.add(from);
      const field = fields.find((candidate) => candidate.name === from)!;
      field.name = to;
      steps.push({ kind: 'rename', from, to, field: { ...field } });
    }
  }

  for (const name of new Set(request.remove)) {
    if (!storedNames.has(name)) {
      problems.push(`--remove-field ${name}: there is no field "${name}"${suggest(name, stored)}`);
      continue;
    }
    if (request.set.some((field) => field.name === name)) {
      problems.push(`field "${name}" is both removed and given (-f): do one or the other`);
      continue;
    }
    const index = fields.findIndex((field) => field.name === name);
    const [field] = fields.splice(index, 1);
    steps.push({ kind: 'drop', field: field! });
  }

  const given = new Set<string>();
  for (const field of request.set) {
    if (given.has(field.name)) {
      problems.push(`field "${field.name}": given twice`);
      continue;
    }
    given.add(field.name);
    const index = fields.findIndex((candidate) => candidate.name === field.name);
    if (index === -1) {
      fields.push(field);
      steps.push({ kind: 'add', field });
    } else if (!isDeepStrictEqual(fields[index], field)) {
      steps.push({ kind: 'change', before: fields[index]!, after: field });
      fields[index] = field;
    }
  }

  for (const step of steps) {
    const column = step.kind === 'rename' ? step.from : step.kind === 'drop' ? step.field.name : undefined;
    const referencing = column !== undefined ? facts.referencedBy?.[column] : undefined;
    if (referencing?.length)
      problems.push(
        `${step.kind === 'rename' ? `--rename-field ${column}` : `--remove-field ${column}`}: ${referencing.join(', ')} refer${referencing.length === 1 ? 's' : ''} to ${facts.table}.${column}; change ${referencing.length === 1 ? 'that field' : 'those fields'} first`,
      );
    const target = step.kind === 'change' ? step.after : step.kind === 'add' ? step.field : undefined;
    const foreign = target?.rules.foreign;
    const problem = foreign && foreignTargetProblem(foreign.table, foreign.column, targetsOf(facts, fields));
    if (problem) problems.push(`field "${target.name}": foreign:${foreign.table}.${foreign.column}: ${problem}`);
  }
  if (fields.length === 0 && problems.length === 0 && facts.mayHaveNoFields !== true)
    problems.push(
      'a resource needs at least one field: this change would remove them all (remove the resource with --remove instead)',
    );
  if (problems.length > 0) throw new ResourceChangeError(problems);

  const risks: DataRisk[] = [];
  const becomeRequired: string[] = [];
  for (const step of steps) {
    if (step.kind === 'drop')
      risks.push({
        column: step.field.name,
        kind: 'drop',
        action: `drop ${step.field.name}`,
        message: `drops ${step.field.name} (${describeField(step.field)}): its values are deleted`,
      });
    if (step.kind !== 'change') continue;
    const narrowed = narrowing(step.before, step.after);
    if (narrowed)
      risks.push({
        column: step.after.name,
        kind: 'narrow',
        action: `narrow ${step.after.name}`,
        message: `narrows ${narrowed}`,
      });
    // With a default, the migration gives rows without a value the default: nothing can stop it.
    if (becomesRequired(step.before, step.after) && step.after.rules.default === undefined) {
      becomeRequired.push(step.after.name);
      const missing = facts.rowsWithoutValue?.[step.after.name];
      const action = `make ${step.after.name} required`;
      if (missing === undefined)
        risks.push({
          column: step.after.name,
          kind: 'required',
          action,
          message: `makes ${step.after.name} required: rows with no value stop the migration until they have one`,
        });
      else if (missing > 0)
        risks.push({
          column: step.after.name,
          kind: 'required',
          action,
          message: `makes ${step.after.name} required: ${missing} row${missing === 1 ? ' has' : 's have'} no value, which stops the migration until they have one`,
        });
    }
  }
  return { fields, steps, risks, becomeRequired };
}

function suggest(name: string, fields: readonly FieldDefinition[]): string {
  const suggestion = closest(
    name,
    fields.map((field) => field.name),
  );
  return suggestion ? ` (did you mean "${suggestion}"?)` : ` (fields: ${fields.map((field) => field.name).join(', ')})`;
}

/** Whether a step changes the table (a change of rules only the API checks does not). */
export function changesColumn(step: ColumnStep): boolean {
  return migrationPlan('', [step]).up.steps.length > 0;
}

/**
 * The schema change as lines for a summary or --dry-run: one per column, with its type.
 *
 * @example
 * describeSteps(plan.steps)
 * // ['add     views: integer, default 0', 'rename  body → content (text): the values stay', 'drop    cover (image, string(2048)): its values are deleted']
 */
export function describeSteps(steps: readonly ColumnStep[]): string[] {
  return steps.map((step) => {
    switch (step.kind) {
      case 'add':
        return `add     ${step.field.name}: ${describeField(step.field)}`;
      case 'drop':
        return `drop    ${step.field.name} (${describeField(step.field)}): its values are deleted`;
      case 'rename':
        return `rename  ${step.from} → ${step.to} (${describeField(step.field)}): the values stay`;
      case 'change':
        return `change  ${step.after.name}: ${describeField(step.before)} → ${describeField(step.after)}${changesColumn(step) ? '' : ' (checked by the API; the column stays as it is)'}`;
    }
  });
}
