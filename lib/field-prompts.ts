// The interactive field loop of `yo fastpy:resource`: name → type → rules → a value for each rule
// that takes one → another field? Each field is checked by the real parser before it is kept.
import { FIELD_TYPES, FieldSpecError, fieldNameProblem, formatFieldSpec, parseFieldSpec, TYPES, type FieldDefinition, type FieldType, type RuleName } from '../runtime/fields/spec.js';
import type { Answers, PromptFunction } from './questions.js';

const VALUE_RULES: Partial<Record<RuleName, string>> = {
  max: 'max (length for text, value for numbers)',
  min: 'min (length for text, value for numbers)',
  gte: 'gte (≥)',
  lte: 'lte (≤)',
  gt: 'gt (>)',
  lt: 'lt (<)',
  foreign: 'foreign key, as table.column (e.g. users.id)',
  default: 'default value',
};

/** Asks for fields until the user says there are no more; returns them as specs. */
export async function promptFields(prompt: PromptFunction, log: (message: string) => void): Promise<FieldDefinition[]> {
  const fields: FieldDefinition[] = [];
  for (;;) {
    const { name } = await prompt([
      {
        type: 'input',
        name: 'name',
        message: fields.length === 0 ? 'First field name (snake_case)' : 'Field name',
        validate: (value: string) => fieldNameProblem(value.trim()) ?? (fields.some((field) => field.name === value.trim()) ? `"${value}" is already a field` : true),
      },
    ]);
    const { type } = await prompt([{ type: 'select', name: 'type', message: 'Type', choices: FIELD_TYPES.map((value) => ({ name: value, value })), default: 'string' }]);
    const allowed = TYPES[type as FieldType].rules;
    const { rules } = await prompt([
      { type: 'checkbox', name: 'rules', message: `Rules for ${String(name).trim()} (${String(type)})`, choices: allowed.map((rule) => ({ name: VALUE_RULES[rule] ?? rule, value: rule })) },
    ]);
    const parts: string[] = [];
    for (const rule of rules as RuleName[]) {
      if (!(rule in VALUE_RULES)) {
        parts.push(rule);
        continue;
      }
      const { value } = await prompt([{ type: 'input', name: 'value', message: `Value for ${rule}`, validate: (input: string) => (input.trim() === '' ? `${rule} needs a value` : true) }]);
      parts.push(`${rule}:${String(value).trim()}`);
    }
    const spec = [String(name).trim(), String(type), ...(parts.length > 0 ? [parts.join(',')] : [])].join(':');
    try {
      const field = parseFieldSpec(spec);
      fields.push(field);
      log(`  + ${formatFieldSpec(field)}`);
    } catch (error) {
      if (!(error instanceof FieldSpecError)) throw error;
      log(`That field cannot be used:\n${error.problems.map((problem) => `  - ${problem}`).join('\n')}\nLet's try it again.`);
      continue;
    }
    const { more } = (await prompt([{ type: 'confirm', name: 'more', message: 'Add another field?', default: true }])) as Answers;
    if (!more) return fields;
  }
}
