// The field wizard of `yo fastpy:resource`. A field is asked for step by step (name → type → rules →
// a value for each rule that takes one), each answer checked where it is given by the real parser,
// so only that answer is asked again. Then a review: the fields so far, and add / change / rename /
// remove / done. On an existing resource it starts from the stored fields; what it returns is the
// change to make, which the change planner (lib/resource-change.ts) turns into the schema change.
import { isDeepStrictEqual } from 'node:util';
import {
  contradictions,
  FIELD_TYPES,
  FieldSpecError,
  fieldNameProblem,
  formatFieldSpec,
  parseFieldSpec,
  RULE_NAMES,
  ruleValueText,
  TYPES,
  type FieldDefinition,
  type FieldType,
  type RuleName,
} from '../runtime/fields/spec.js';
import { foreignKeyName } from './naming.js';
import type { PromptFunction } from './questions.js';
import { describeField, foreignTargetProblem, type FieldChangeRequest, type KnownTables } from './resource-change.js';

const VALUE_RULES: Partial<Record<RuleName, string>> = {
  max: 'max (length for text, value for numbers)',
  min: 'min (length for text, value for numbers)',
  gte: 'gte (≥)',
  lte: 'lte (≤)',
  gt: 'gt (>)',
  lt: 'lt (<)',
  foreign: 'foreign key (to a table of the project)',
  default: 'default value',
};

const RULE_EXAMPLES: Partial<Record<RuleName, string>> = {
  max: '200',
  min: '3',
  gte: '0',
  lte: '100',
  gt: '0',
  lt: '10',
};

/** Typing a target instead of picking one. */
export const OTHER_TABLE = '\0type';

export interface FieldWizardContext {
  prompt: PromptFunction;
  log: (message: string) => void;
  /** The resource's class name, for messages. */
  className: string;
  /** Its table (a foreign key may point at it). */
  table: string;
  /** The fields as stored; empty for a new resource. */
  stored: readonly FieldDefinition[];
  /** Tables a foreign key may point at, with the columns it may reference. */
  tables: KnownTables;
  /** Said before the fields (users: whose the other columns are). */
  intro?: string;
  /** Names a field may not take, each with the reason. */
  reserved?: Readonly<Record<string, string>>;
  /** The table has columns besides the fields (users: authentication's): it may be left with none. */
  mayHaveNoFields?: boolean;
}

interface Entry {
  field: FieldDefinition;
  /** Its name in the stored fields, when it is one of them. */
  origin?: string;
}

type Action = 'add' | 'relate' | 'change' | 'rename' | 'remove' | 'done';

/**
 * Runs the wizard; returns the change to the stored fields (for a new resource: the fields to add).
 *
 * @example
 * const request = await fieldWizard({ prompt, log, className: 'Post', table: 'posts', stored: [], tables });
 */
export async function fieldWizard(context: FieldWizardContext): Promise<FieldChangeRequest> {
  const entries: Entry[] = context.stored.map((field) => ({ field, origin: field.name }));
  const isNew = context.stored.length === 0 && context.mayHaveNoFields !== true;
  if (context.intro) context.log(`\n${context.intro}`);
  if (isNew) {
    context.log(`\nThe fields of ${context.className}, one at a time (id and the timestamps come with every model).`);
    entries.push({ field: await askField(context, entries) });
  } else if (entries.length > 0) {
    context.log(
      `\n${context.className} has ${entries.length} field${entries.length === 1 ? '' : 's'}: leaving one as it is keeps its column and its data.`,
    );
  }
  for (;;) {
    context.log(formatEntries(entries, context.stored));
    const action = await askAction(context, entries, isNew);
    if (action === 'done') {
      if (entries.length > 0 || context.mayHaveNoFields) return changeRequest(entries, context.stored);
      context.log('A resource needs at least one field: add one (or stop with Ctrl-C; nothing has been written).');
      continue;
    }
    if (action === 'add') {
      entries.push({ field: await askField(context, entries) });
      continue;
    }
    if (action === 'relate') {
      entries.push({ field: await askRelation(context, entries) });
      continue;
    }
    const entry = await pickEntry(context, entries, action);
    if (action === 'remove') {
      entries.splice(entries.indexOf(entry), 1);
      context.log(
        entry.origin
          ? `  - ${entry.field.name}: its column is dropped, with its data (you will see the change and confirm it before anything is written)`
          : `  - ${entry.field.name}`,
      );
    } else if (action === 'rename') {
      const to = await askName(
        context,
        entries.filter((other) => other !== entry),
        entry.field.name,
        `New name for ${entry.field.name} (its column is renamed; the data stays)`,
      );
      entry.field = { ...entry.field, name: to };
    } else {
      // A stored field keeps its name here (renaming is its own step, which keeps the column's data).
      entry.field = await askField(
        context,
        entries.filter((other) => other !== entry),
        entry.field,
        entry.origin !== undefined,
      );
    }
  }
}

/** Whether a stored field's definition (its name aside: renaming is its own step) was changed. */
function isChanged(entry: Entry, stored: readonly FieldDefinition[]): boolean {
  const before = stored.find((field) => field.name === entry.origin);
  return before !== undefined && !isDeepStrictEqual({ ...before, name: entry.field.name }, entry.field);
}

/** The change the entries make to the stored fields. */
function changeRequest(entries: readonly Entry[], stored: readonly FieldDefinition[]): FieldChangeRequest {
  const kept = new Set(entries.flatMap((entry) => (entry.origin ? [entry.origin] : [])));
  return {
    remove: stored.filter((field) => !kept.has(field.name)).map((field) => field.name),
    rename: entries
      .filter((entry) => entry.origin !== undefined && entry.origin !== entry.field.name)
      .map((entry) => ({ from: entry.origin!, to: entry.field.name })),
    set: entries.filter((entry) => entry.origin === undefined || isChanged(entry, stored)).map((entry) => entry.field),
  };
}

function formatEntries(entries: readonly Entry[], stored: readonly FieldDefinition[]): string {
  if (entries.length === 0) return '\nNo fields yet.';
  const marks = entries.map((entry) => {
    if (!entry.origin) return stored.length > 0 ? 'new' : '';
    const renamed = entry.origin !== entry.field.name ? `was ${entry.origin}` : '';
    return [renamed, isChanged(entry, stored) ? 'changed' : ''].filter(Boolean).join(', ');
  });
  const removed = stored.filter((field) => !entries.some((entry) => entry.origin === field.name));
  const lines = entries.map(
    (entry, index) =>
      `  ${String(index + 1).padStart(2)}. ${formatFieldSpec(entry.field)}${marks[index] ? `   (${marks[index]})` : ''}`,
  );
  return ['', 'Fields:', ...lines, ...removed.map((field) => `   -  ${formatFieldSpec(field)}   (removed)`)].join('\n');
}

async function askAction(context: FieldWizardContext, entries: readonly Entry[], isNew: boolean): Promise<Action> {
  const stored = entries.some((entry) => entry.origin !== undefined);
  const choices: Array<{ name: string; value: Action }> = [
    { name: isNew ? 'Add another field' : 'Add a field', value: 'add' },
    ...(relatedTables(context).length > 0
      ? [{ name: 'Add a relation: belongs to another resource (a foreign key)', value: 'relate' as const }]
      : []),
    ...(entries.length > 0 ? [{ name: isNew ? 'Edit a field' : 'Change a field', value: 'change' as const }] : []),
    ...(stored ? [{ name: 'Rename a field (keeps its data)', value: 'rename' as const }] : []),
    ...(entries.length > 0 ? [{ name: 'Remove a field', value: 'remove' as const }] : []),
    { name: isNew ? 'Done' : 'Done: show what will change', value: 'done' },
  ];
  const { action } = await context.prompt([
    { type: 'select', name: 'action', message: 'Next', choices, default: isNew ? 'add' : 'done' },
  ]);
  return action as Action;
}

/** The tables a resource may belong to: those with an id (every resource's, and users). */
function relatedTables(context: FieldWizardContext): string[] {
  return Object.keys(context.tables)
    .filter((table) => table !== context.table && context.tables[table]!.includes('id'))
    .sort();
}

/**
 * A foreign key to another resource's id, the one question a "belongs to" needs: which resource,
 * the column's name (post_id by default), and whether every record has one.
 */
async function askRelation(context: FieldWizardContext, entries: readonly Entry[]): Promise<FieldDefinition> {
  const { relatedTable } = await context.prompt([
    {
      type: 'select',
      name: 'relatedTable',
      message: `Each ${context.className} belongs to`,
      choices: relatedTables(context).map((table) => ({ name: table, value: table })),
    },
  ]);
  const table = relatedTable as string;
  const taken = entries.some((entry) => entry.field.name === foreignKeyName(table));
  const name = await askName(
    context,
    entries,
    taken ? undefined : foreignKeyName(table),
    `Its column (holds the id of a ${table} record)`,
  );
  const { relationRequired } = await context.prompt([
    {
      type: 'confirm',
      name: 'relationRequired',
      message: `Does every ${context.className} have one? (no: it may be empty)`,
      default: true,
    },
  ]);
  return parseFieldSpec(`${name}:integer:${relationRequired ? 'required' : 'nullable'},foreign:${table}.id`);
}

async function pickEntry(
  context: FieldWizardContext,
  entries: Entry[],
  action: Exclude<Action, 'add' | 'done'>,
): Promise<Entry> {
  const candidates = action === 'rename' ? entries.filter((entry) => entry.origin !== undefined) : entries;
  const { which } = await context.prompt([
    {
      type: 'select',
      name: 'which',
      message: `Which field do you want to ${action}?`,
      choices: candidates.map((entry) => ({ name: formatFieldSpec(entry.field), value: entry.field.name })),
    },
  ]);
  return candidates.find((entry) => entry.field.name === which)!;
}

async function askName(
  context: FieldWizardContext,
  others: readonly Entry[],
  initial: string | undefined,
  message: string,
): Promise<string> {
  const { fieldName } = await context.prompt([
    {
      type: 'input',
      name: 'fieldName',
      message,
      default: initial,
      validate: (value: string) => {
        const name = String(value ?? '').trim();
        if (name === '') return 'give the field a name (snake_case, e.g. published_at)';
        return (
          fieldNameProblem(name) ??
          context.reserved?.[name] ??
          (others.some((entry) => entry.field.name === name) ? `"${name}" is already a field` : true)
        );
      },
    },
  ]);
  return String(fieldName).trim();
}

/** Asks for one field, each answer checked as it is given. With `initial`, its answers are the defaults. */
async function askField(
  context: FieldWizardContext,
  others: readonly Entry[],
  initial?: FieldDefinition,
  keepName = false,
): Promise<FieldDefinition> {
  const name =
    keepName && initial
      ? initial.name
      : await askName(context, others, initial?.name, others.length === 0 ? 'Field name (snake_case)' : 'Field name');
  const { fieldType } = await context.prompt([
    {
      type: 'select',
      name: 'fieldType',
      message: `Type of ${name}`,
      choices: FIELD_TYPES.map((value) => ({ name: value, value, description: typeDescription(value) })),
      default: initial?.type ?? 'string',
      pageSize: 12,
    },
  ]);
  const type = fieldType as FieldType;
  const allowed = TYPES[type].rules;
  // A field being changed offers its rules (those its type takes) and their values as the defaults.
  const before = initial?.rules ?? {};
  const { fieldRules } = await context.prompt([
    {
      type: 'checkbox',
      name: 'fieldRules',
      message: `Rules for ${name} (${type})`,
      choices: allowed.map((rule) => ({
        name: VALUE_RULES[rule] ?? rule,
        short: rule,
        value: rule,
        checked: before[rule] !== undefined,
      })),
      validate: (chosen: readonly unknown[]) => {
        const rules = chosen.map((item) =>
          typeof item === 'object' && item !== null && 'value' in item
            ? (item as { value: RuleName }).value
            : (item as RuleName),
        );
        const problems = contradictions(rules);
        return problems.length === 0 ? true : problems.join('; ');
      },
    },
  ]);
  const chosen = RULE_NAMES.filter((rule) => (fieldRules as RuleName[]).includes(rule));
  const parts: string[] = [];
  const spec = (extra: string[] = []) =>
    [name, type, ...(parts.length + extra.length > 0 ? [[...parts, ...extra].join(',')] : [])].join(':');
  for (const rule of chosen) {
    if (!(rule in VALUE_RULES)) {
      parts.push(rule);
      continue;
    }
    const previous = before[rule] !== undefined ? ruleValueText(rule, before[rule]) : undefined;
    const value =
      rule === 'foreign'
        ? await askForeign(context, name, previous)
        : await askRuleValue(context, rule, previous, (text) => spec([`${rule}:${text}`]));
    parts.push(`${rule}:${value}`);
  }
  try {
    const field = parseFieldSpec(spec());
    context.log(`  ${initial ? '~' : '+'} ${formatFieldSpec(field)}   (${describeField(field)})`);
    return field;
  } catch (error) {
    // Each answer was checked as it came; what is left is a clash between them: ask the field again.
    if (!(error instanceof FieldSpecError)) throw error;
    context.log(`That field cannot be used:\n${error.problems.map((problem) => `  - ${problem}`).join('\n')}`);
    return askField(context, others, { name, type, rules: {} }, keepName);
  }
}

/** The value of a rule, checked with the rules chosen so far (so `max:abc` or an impossible bound is refused here). */
async function askRuleValue(
  context: FieldWizardContext,
  rule: RuleName,
  initial: string | undefined,
  specWith: (value: string) => string,
): Promise<string> {
  const { [rule]: value } = await context.prompt([
    {
      type: 'input',
      name: rule,
      message:
        rule === 'default'
          ? 'Default value'
          : `Value for ${rule}${RULE_EXAMPLES[rule] ? ` (e.g. ${RULE_EXAMPLES[rule]})` : ''}`,
      default: initial,
      validate: (input: string) => {
        const text = String(input ?? '').trim();
        if (text === '') return `${rule} needs a value`;
        try {
          parseFieldSpec(specWith(text));
          return true;
        } catch (error) {
          if (!(error instanceof FieldSpecError)) throw error;
          return error.problems.map((problem) => problem.replace(/^field "[^"]+": /, '')).join('; ');
        }
      },
    },
  ]);
  return String(value).trim();
}

/** Every column a foreign key may reference, as `table.column`. */
function foreignTargets(context: FieldWizardContext): string[] {
  return Object.entries(context.tables).flatMap(([table, columns]) => columns.map((column) => `${table}.${column}`));
}

async function askForeign(context: FieldWizardContext, field: string, initial: string | undefined): Promise<string> {
  const tables = { ...context.tables, [context.table]: context.tables[context.table] ?? ['id'] };
  const targets = foreignTargets({ ...context, tables });
  const { foreignTarget } = await context.prompt([
    {
      type: 'select',
      name: 'foreignTarget',
      message: `${field} refers to`,
      choices: [
        ...targets.map((target) => ({ name: target, value: target })),
        { name: 'Another table… (type it)', value: OTHER_TABLE },
      ],
      default:
        initial && targets.includes(initial)
          ? initial
          : (targets.find((target) => target.startsWith(`${field.replace(/_id$/, '')}`)) ?? targets[0]),
    },
  ]);
  if (foreignTarget !== OTHER_TABLE) return String(foreignTarget);
  const { foreignTyped } = await context.prompt([
    {
      type: 'input',
      name: 'foreignTyped',
      message: `${field} refers to (table.column)`,
      default: initial,
      validate: (input: string) => {
        const match = /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$/.exec(String(input ?? '').trim());
        return match
          ? (foreignTargetProblem(match[1]!, match[2]!, tables) ?? true)
          : 'write it as table.column, e.g. users.id';
      },
    },
  ]);
  return String(foreignTyped).trim();
}

function typeDescription(type: FieldType): string {
  const info = TYPES[type];
  const column = info.column.sizedByMax
    ? `${info.column.method}(max, ${info.column.args.join(',')} by default)`
    : `${info.column.method}${info.column.args.length > 0 ? `(${info.column.args.join(',')})` : ''}`;
  return `column ${column}; JSON ${info.example}`;
}
