// A plan from `fastpy ai`: fastpy commands, each with a reason. Whoever wrote it (a model or the
// offline planner), it is checked here before anything runs: only fastpy generation and database
// commands, no shell syntax, options the command really has, every field spec through the real
// parser, foreign keys to tables that exist by then, and no step that would drop or narrow a column.
import { FastpyError } from '../../runtime/utils/errors.js';
import type { Command } from 'commander';
import { FieldSpecError, formatFieldSpec, parseFieldSpecs } from '../../runtime/fields/spec.js';
import { parseRenames, planFieldChange, ResourceChangeError } from '../resource-change.js';
import { enumEntries, exceptionStatus } from '../declarations.js';
import { resourceNameProblem, resourceNames } from '../resource.js';

export interface PlanStep {
  /** The whole command line, as shown: `fastpy make:resource Post -f title:string:required -m`. */
  command: string;
  /** Why, in one line. */
  reason: string;
}

export interface ValidStep extends PlanStep {
  /** The arguments after `fastpy`, ready to run without a shell. */
  args: string[];
}

/** A resource the project already has (from its .yo-rc.json). */
export interface KnownResource {
  table: string;
  fields: string[];
}

/** A plan that must not run: every problem, each naming its step. */
export class PlanError extends FastpyError {
  constructor(
    readonly problems: string[],
    readonly steps: readonly PlanStep[] = [],
  ) {
    super('E_PLAN', `the plan cannot run:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

export const MAX_STEPS = 40;

/** Commands a plan may hold: generators, and database commands that change nothing already there. */
export const PLAN_COMMANDS = ['db:migrate', 'db:seed', 'db:status', 'route:list'] as const;
const REFUSED: Record<string, string> = {
  'db:fresh': 'drops every table',
  'db:rollback': 'undoes migrations',
  'stubs:publish': 'is not a generation step',
  new: 'creates a project; plans run inside one',
  ai: 'would plan again',
  serve: 'never finishes',
};
/** Options a plan may not pass: they overwrite, delete or read files. */
const REFUSED_OPTIONS: Record<string, string> = {
  force: 'overwrites files you edited',
  remove: 'deletes a resource',
  removeField: 'drops a column and its data',
  allowDataLoss: 'skips the check that nothing is lost',
  config: 'reads answers from a file',
};
const SHELL = /[;|&$`<>(){}\\\n\r]/;

/**
 * Splits a command line into words: whitespace-separated, with '…' or "…" for words with spaces.
 * Shell syntax (pipes, redirections, substitutions, globs, separators) is refused, not interpreted.
 *
 * @example
 * splitCommand(`fastpy make:enum Status -v "on hold"`) // ['fastpy', 'make:enum', 'Status', '-v', 'on hold']
 */
export function splitCommand(line: string): string[] {
  const bad = SHELL.exec(line) ?? /(?:^|\s)([#~])/.exec(line);
  if (bad) throw new Error(`shell syntax is not allowed (found ${JSON.stringify(bad[1] ?? bad[0])})`);
  if (/["']/.test(line.replace(/"[^"]*"|'[^']*'/g, ' '))) throw new Error('a quote is not closed');
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

/** The plan a model replied with: a JSON object `{"steps":[{"command","reason"}]}`, perhaps in a code fence. */
export function parsePlanReply(text: string): PlanStep[] {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end < start)
    throw new PlanError([`the reply holds no JSON object: ${JSON.stringify(text.slice(0, 200))}`]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end + 1));
  } catch (error) {
    throw new PlanError([
      `the reply is not valid JSON (${(error as Error).message}): ${JSON.stringify(text.slice(start, start + 200))}`,
    ]);
  }
  const steps = (parsed as { steps?: unknown }).steps;
  if (!Array.isArray(steps)) throw new PlanError(['the reply has no "steps" list']);
  const problems: string[] = [];
  const plan: PlanStep[] = [];
  steps.forEach((step: unknown, index) => {
    const { command, reason } = (step ?? {}) as Record<string, unknown>;
    if (typeof command !== 'string' || command.trim() === '') problems.push(`step ${index + 1}: no "command" string`);
    else plan.push({ command: command.trim(), reason: typeof reason === 'string' ? reason.trim() : '' });
  });
  if (problems.length > 0) throw new PlanError(problems, plan);
  return plan;
}

interface ParsedCommand {
  name: string;
  operands: string[];
  options: Record<string, unknown>;
}

/** Parses a command's words with the command's own definition (so its options are the real ones). */
function parseWith(program: Command, words: string[]): ParsedCommand {
  const [name, ...rest] = words;
  const command = program.commands.find((candidate) => candidate.name() === name);
  if (!command) throw new Error(`"${name}" is not a fastpy command`);
  command.configureOutput({ writeErr: () => {}, writeOut: () => {}, outputError: () => {} });
  let parsed: { operands: string[]; unknown: string[] };
  try {
    parsed = command.parseOptions(rest);
  } catch (error) {
    throw new Error((error as Error).message.replace(/^error: /, ''), { cause: error });
  }
  if (parsed.unknown.length > 0) throw new Error(`unknown option ${parsed.unknown[0]} for ${name}`);
  const expected = command.registeredArguments;
  const required = expected.filter((argument) => argument.required).length;
  if (parsed.operands.length < required)
    throw new Error(`${name} needs ${expected.map((argument) => `<${argument.name()}>`).join(' ')}`);
  if (parsed.operands.length > expected.length)
    throw new Error(
      `${name} takes ${expected.length} argument${expected.length === 1 ? '' : 's'}, got ${parsed.operands.length}: ${parsed.operands.join(' ')}`,
    );
  return { name: name!, operands: parsed.operands, options: command.opts() };
}

/**
 * Checks a plan against the commands (`createProgram` makes a `fastpy` program, used only to parse)
 * and the project's resources; returns the steps ready to run, or throws a PlanError naming every problem.
 */
export function validatePlan(
  steps: readonly PlanStep[],
  createProgram: () => Command,
  project: Record<string, KnownResource>,
): ValidStep[] {
  const problems: string[] = [];
  if (steps.length === 0) problems.push('the plan has no steps');
  if (steps.length > MAX_STEPS) problems.push(`the plan has ${steps.length} steps; at most ${MAX_STEPS}`);
  // Tables and their fields as the plan goes: the project's, then each step's.
  const tables = new Set(['users', ...Object.values(project).map((resource) => resource.table)]);
  const resources = new Map(Object.entries(project));
  const valid: ValidStep[] = [];
  steps.forEach((step, index) => {
    const where = `step ${index + 1} (${step.command})`;
    try {
      const words = splitCommand(step.command);
      if (words[0] !== 'fastpy') throw new Error(`only fastpy commands may run, not ${JSON.stringify(words[0] ?? '')}`);
      const name = words[1] ?? '';
      if (REFUSED[name]) throw new Error(`fastpy ${name} is not allowed in a plan (it ${REFUSED[name]})`);
      if (!name.startsWith('make:') && !(PLAN_COMMANDS as readonly string[]).includes(name)) {
        throw new Error(
          `fastpy ${name || '(nothing)'} is not allowed in a plan; plans run make:* and ${PLAN_COMMANDS.join(', ')}`,
        );
      }
      // A fresh program for each step: commander keeps parsed option values on the command.
      const parsed = parseWith(createProgram(), words.slice(1));
      for (const [option, why] of Object.entries(REFUSED_OPTIONS))
        if (parsed.options[option] !== undefined && parsed.options[option] !== false)
          throw new Error(
            `--${option.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)} is not allowed in a plan (it ${why})`,
          );
      if (name.startsWith('make:')) checkMake(name, parsed, tables, resources);
      valid.push({ ...step, args: words.slice(1) });
    } catch (error) {
      const messages = error instanceof FieldSpecError ? error.problems : [(error as Error).message];
      for (const message of messages) problems.push(`${where}: ${message}`);
    }
  });
  if (problems.length > 0) throw new PlanError(problems, steps);
  return valid;
}

const MODEL_PARTS = new Set([
  'make:controller',
  'make:route',
  'make:service',
  'make:repository',
  'make:test',
  'make:factory',
  'make:seeder',
]);

function checkMake(
  name: string,
  parsed: ParsedCommand,
  tables: Set<string>,
  resources: Map<string, KnownResource>,
): void {
  const argument = parsed.operands[0];
  if (argument === undefined) throw new Error(`${name} needs a name, e.g. ${name} Post`);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(argument))
    throw new Error(`"${argument}" is not a name: use PascalCase letters and digits, e.g. BlogPost`);
  if (name === 'make:enum') {
    const values = ((parsed.options.value as string[] | undefined) ?? []).map((value) => value.trim());
    if (values.length === 0) throw new Error('make:enum needs its values (-v value, repeatable)');
    enumEntries(values);
  }
  if (name === 'make:exception' && parsed.options.status !== undefined) exceptionStatus(parsed.options.status);
  if (name !== 'make:resource' && name !== 'make:model') {
    if (MODEL_PARTS.has(name)) {
      const problem = resourceNameProblem(argument);
      if (problem) throw new Error(problem);
      const { className } = resourceNames(argument);
      if (!resources.has(className))
        throw new Error(
          `${name} ${className} needs the model first (make:resource or make:model ${className} in an earlier step)`,
        );
    }
    return;
  }
  const problem = resourceNameProblem(argument);
  if (problem) throw new Error(problem);
  const specs = ([] as string[]).concat((parsed.options.field as string[] | undefined) ?? []);
  const { className, table } = resourceNames(argument);
  const existing = resources.get(className);
  let renames;
  try {
    renames = parseRenames(parsed.options.renameField ?? []);
  } catch (error) {
    throw new Error((error as Error).message, { cause: error });
  }
  if (specs.length === 0 && !(existing && renames.length > 0))
    throw new Error(`${name} needs its fields (-f name:type[:rules], repeatable)`);
  // The same planner the generator runs: -f adds or changes fields, the others stay; nothing may be lost.
  const known: Record<string, string[]> = { users: ['id', 'email'] };
  for (const [other, resource] of resources)
    if (other !== className)
      known[resource.table] = [
        'id',
        ...parseFieldSpecs(resource.fields)
          .filter((field) => field.rules.unique)
          .map((field) => field.name),
      ];
  let plan;
  try {
    plan = planFieldChange(
      existing ? parseFieldSpecs(existing.fields) : [],
      { set: parseFieldSpecs(specs), rename: renames, remove: [] },
      { table, tables: known },
    );
  } catch (error) {
    if (error instanceof ResourceChangeError) throw new Error(error.problems.join('; '), { cause: error });
    throw error;
  }
  if (plan.risks.length > 0)
    throw new Error(
      `${className} would lose data (${plan.risks.map((risk) => risk.message).join('; ')}); a plan may only add fields or widen them`,
    );
  tables.add(table);
  resources.set(className, { table, fields: plan.fields.map(formatFieldSpec) });
}

/** The plan as printed: numbered commands, each with its reason. */
export function formatPlan(steps: readonly PlanStep[]): string {
  return steps
    .map(
      (step, index) =>
        `  ${String(index + 1).padStart(2)}. ${step.command}${step.reason ? `\n      ${step.reason}` : ''}`,
    )
    .join('\n');
}
