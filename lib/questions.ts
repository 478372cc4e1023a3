// "Every prompt has an option": each question of a generator is answered, in order of preference,
// by its command-line option, by --config, by its default under --yes, or by asking; with no
// terminal to ask, the run stops at once naming the options to pass.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { camelCase } from './naming.js';

export type Answers = Record<string, unknown>;

export interface Choice {
  name: string;
  value: string;
  checked?: boolean;
}

export interface QuestionSpec {
  /** Key of the answer (camelCase), also accepted as a --config key. */
  name: string;
  /** The command-line option that answers it (kebab-case, without --). */
  option: string;
  type: 'input' | 'select' | 'confirm' | 'checkbox';
  message: string;
  choices?: readonly Choice[];
  /** Default from the answers so far. */
  default: (answers: Answers) => unknown;
  /** Turns a value from an option or --config into the answer; throws a message naming the problem. */
  parse?: (raw: unknown) => unknown;
  /** A problem with the answer, or undefined when it is fine. */
  validate?: (value: unknown, answers: Answers) => string | undefined;
  /** Asked only when this holds for the answers so far. */
  when?: (answers: Answers) => boolean;
}

/**
 * Bad input from the user: the CLI prints the message alone, without a stack. Its code is
 * `errorCode`, not `code`: `yo` exits with an error's `code`, which must be a number.
 */
export class UsageError extends Error {
  readonly errorCode: string;

  constructor(message: string, errorCode = 'E_USAGE') {
    super(message);
    this.name = 'UsageError';
    this.errorCode = errorCode;
  }
}

/** An inquirer-style prompt function (Yeoman's `this.prompt`). */
export type PromptFunction = (questions: object[]) => Promise<Answers>;

export interface AnswerSources {
  /** Parsed command-line options, keyed by option name (kebab or camel case). */
  options: Record<string, unknown>;
  /** Answers from --config. */
  config?: Answers;
  /** Take defaults for everything not given. */
  yes?: boolean;
  /** Whether a person can be asked (stdin is a terminal). */
  interactive: boolean;
  prompt: PromptFunction;
  /** The command that re-runs this with options, for the no-terminal message (e.g. "yo fastpy"). */
  command: string;
}

/**
 * Reads `--config`: inline JSON (`'{"database":"mysql"}'`) or the path of a JSON file.
 *
 * @example
 * readConfigOption('{"database":"mysql"}') // { database: 'mysql' }
 */
export function readConfigOption(value: unknown, cwd = process.cwd()): Answers | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'object') return value as Answers;
  const text = String(value).trim();
  let json: string;
  if (text.startsWith('{') || text.startsWith('[')) json = text;
  else {
    try {
      json = readFileSync(resolve(cwd, text), 'utf8');
    } catch {
      throw new UsageError(`--config: cannot read "${text}" (give inline JSON or the path of a JSON file)`, 'E_CONFIG');
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new UsageError(`--config: invalid JSON (${(error as Error).message})`, 'E_CONFIG');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError('--config: expected a JSON object of answers', 'E_CONFIG');
  return parsed as Answers;
}

function given(spec: QuestionSpec, sources: AnswerSources): { value: unknown; from: string } | undefined {
  for (const key of [spec.option, camelCase(spec.option)]) {
    const value = sources.options[key];
    if (value !== undefined && value !== null) return { value, from: `--${spec.option}` };
  }
  for (const key of [spec.name, spec.option]) {
    const value = sources.config?.[key];
    if (value !== undefined && value !== null) return { value, from: `--config "${spec.name}"` };
  }
  return undefined;
}

function usage(spec: QuestionSpec): string {
  if (spec.type === 'confirm') return `--${spec.option} / --no-${spec.option}`;
  const values = spec.choices?.map((choice) => choice.value).join(spec.type === 'checkbox' ? ',' : '|');
  return `--${spec.option} ${values ? (spec.type === 'checkbox' ? `<${values}|none>` : `<${values}>`) : '<value>'}`;
}

/**
 * Resolves every question's answer from options, --config, defaults (--yes) or prompts.
 * Throws a `UsageError` naming the option for a bad value, and for a question that cannot be
 * asked because there is no terminal.
 */
export async function resolveAnswers(specs: readonly QuestionSpec[], sources: AnswerSources): Promise<Answers> {
  const answers: Answers = {};
  const unanswered: QuestionSpec[] = [];
  for (const spec of specs) {
    // Decided now only when every earlier answer is known; else when it is asked (it may depend on them).
    if (spec.when && unanswered.length === 0 && !spec.when(answers)) continue;
    const found = given(spec, sources);
    if (found) {
      let value: unknown;
      try {
        value = spec.parse ? spec.parse(found.value) : found.value;
      } catch (error) {
        throw new UsageError(`${found.from}: ${(error as Error).message}`);
      }
      const problem = spec.validate?.(value, answers);
      if (problem) throw new UsageError(`${found.from}: ${problem}`);
      answers[spec.name] = value;
    } else if (sources.yes) {
      answers[spec.name] = spec.default(answers);
    } else {
      unanswered.push(spec);
      // Later defaults may depend on this answer: prompting fills it in, in order.
    }
  }
  if (unanswered.length === 0) return answers;
  if (!sources.interactive) {
    throw new UsageError(
      [
        `No terminal to ask questions on, and no answer given for: ${unanswered.map((spec) => spec.name).join(', ')}.`,
        `Pass ${unanswered.map(usage).join(' ')}`,
        `or --yes to take the defaults, or --config <json|file> with the answers (e.g. ${sources.command} --yes).`,
      ].join('\n'),
      'E_NO_TTY',
    );
  }
  const questions = unanswered.map((spec) => ({
    type: spec.type,
    name: spec.name,
    message: spec.message,
    choices: spec.choices?.map((choice) => ({ ...choice })),
    default: (soFar: Answers) => spec.default({ ...answers, ...soFar }),
    when: spec.when ? (soFar: Answers) => spec.when!({ ...answers, ...soFar }) : undefined,
    validate: (value: unknown, soFar: Answers) => spec.validate?.(value, { ...answers, ...soFar }) ?? true,
  }));
  const prompted = await sources.prompt(questions);
  for (const spec of unanswered) {
    if (!(spec.name in prompted)) continue;
    const problem = spec.validate?.(prompted[spec.name], { ...answers, ...prompted });
    if (problem) throw new UsageError(`${spec.name}: ${problem}`);
    answers[spec.name] = prompted[spec.name];
  }
  return answers;
}

/** Parses a yes/no value from an option or --config. */
export function parseBoolean(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  const text = String(raw).toLowerCase();
  if (['true', 'yes', 'y', '1', 'on'].includes(text)) return true;
  if (['false', 'no', 'n', '0', 'off'].includes(text)) return false;
  throw new Error(`expected true or false, got "${String(raw)}"`);
}

/** Parses one of the choices. */
export function parseChoice(choices: readonly Choice[], aliases: Record<string, string> = {}) {
  return (raw: unknown): string => {
    const text = String(raw).trim().toLowerCase();
    const value = aliases[text] ?? text;
    if (!choices.some((choice) => choice.value === value)) {
      throw new Error(`"${String(raw)}" is not one of ${choices.map((choice) => choice.value).join(', ')}`);
    }
    return value;
  };
}

/** Parses a list of choices: an array, or a comma-separated string; "none" or "" for no choice. */
export function parseChoiceList(choices: readonly Choice[]) {
  return (raw: unknown): string[] => {
    const items = (Array.isArray(raw) ? raw.map(String) : String(raw).split(','))
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean);
    if (items.length === 1 && items[0] === 'none') return [];
    const unknown = items.filter((item) => !choices.some((choice) => choice.value === item));
    if (unknown.length > 0)
      throw new Error(
        `unknown ${unknown.map((item) => `"${item}"`).join(', ')}; choose from ${choices.map((choice) => choice.value).join(', ')} (or none)`,
      );
    return [...new Set(items)];
  };
}
