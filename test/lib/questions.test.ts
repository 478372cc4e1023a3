import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import {
  parseBoolean,
  parseChoice,
  parseChoiceList,
  readConfigOption,
  resolveAnswers,
  UsageError,
  type Answers,
  type QuestionSpec,
} from '../../lib/questions.js';

const choices = [
  { name: 'Red', value: 'red' },
  { name: 'Blue', value: 'blue' },
];

const specs: QuestionSpec[] = [
  {
    name: 'color',
    option: 'color',
    type: 'select',
    message: 'Color',
    choices,
    default: () => 'red',
    parse: parseChoice(choices),
  },
  {
    name: 'shade',
    option: 'shade-name',
    type: 'input',
    message: 'Shade',
    default: (answers) => `light-${String(answers.color)}`,
  },
  { name: 'loud', option: 'loud', type: 'confirm', message: 'Loud?', default: () => false, parse: parseBoolean },
];

const noPrompt = async (): Promise<Answers> => {
  throw new Error('must not prompt');
};

test('--yes takes every default, in order, so later defaults see earlier answers', async (t) => {
  const answers = await resolveAnswers(specs, {
    options: { color: 'blue' },
    yes: true,
    interactive: false,
    prompt: noPrompt,
    command: 'x',
  });
  t.deepEqual(answers, { color: 'blue', shade: 'light-blue', loud: false });
});

test('options win over --config; kebab and camel option names both count', async (t) => {
  const answers = await resolveAnswers(specs, {
    options: { shadeName: 'dark' },
    config: { color: 'blue', shade: 'ignored', loud: 'yes' },
    interactive: false,
    prompt: noPrompt,
    command: 'x',
  });
  t.deepEqual(answers, { color: 'blue', shade: 'dark', loud: true });
});

test('without a terminal, missing answers stop at once naming the options', async (t) => {
  const error = await t.throwsAsync(
    resolveAnswers(specs, { options: { color: 'red' }, interactive: false, prompt: noPrompt, command: 'tool new' }),
    { instanceOf: UsageError },
  );
  t.is(error?.errorCode, 'E_NO_TTY');
  t.regex(error.message, /no answer given for: shade, loud/);
  t.regex(error.message, /--shade-name <value> --loud \/ --no-loud/);
  t.regex(error.message, /--yes.*--config.*tool new --yes/s);
});

test('a bad option value names the option and the allowed values', async (t) => {
  const error = await t.throwsAsync(
    resolveAnswers(specs, {
      options: { color: 'green' },
      yes: true,
      interactive: false,
      prompt: noPrompt,
      command: 'x',
    }),
  );
  t.is(error?.message, '--color: "green" is not one of red, blue');
});

test('with a terminal, only the unanswered questions are asked, with defaults from earlier answers', async (t) => {
  let asked: Array<{ name: string; default: (answers: Answers) => unknown }> = [];
  const answers = await resolveAnswers(specs, {
    options: { color: 'blue' },
    interactive: true,
    command: 'x',
    prompt: async (questions) => {
      asked = questions as typeof asked;
      return { shade: asked[0]!.default({}), loud: true };
    },
  });
  t.deepEqual(
    asked.map((question) => question.name),
    ['shade', 'loud'],
  );
  t.deepEqual(answers, { color: 'blue', shade: 'light-blue', loud: true });
});

test('a question that depends on an answer still to be asked is asked with it, its `when` decided then', async (t) => {
  const conditional: QuestionSpec[] = [
    { name: 'features', option: 'features', type: 'checkbox', message: 'Features', default: () => [] },
    {
      name: 'redisUrl',
      option: 'redis-url',
      type: 'input',
      message: 'Redis URL',
      when: (answers) => (answers.features as string[]).includes('redis'),
      default: () => 'redis://localhost',
    },
  ];
  let asked: Array<{ name: string; when?: (answers: Answers) => boolean }> = [];
  const answers = await resolveAnswers(conditional, {
    options: {},
    interactive: true,
    command: 'x',
    prompt: async (questions) => {
      asked = questions as typeof asked;
      return {
        features: ['redis'],
        ...(asked[1]!.when!({ features: ['redis'] }) ? { redisUrl: 'redis://cache' } : {}),
      };
    },
  });
  t.deepEqual(
    asked.map((question) => question.name),
    ['features', 'redisUrl'],
  );
  t.deepEqual(answers, { features: ['redis'], redisUrl: 'redis://cache' });
  // Known at once (given by an option), a false `when` leaves the question out.
  t.deepEqual(
    await resolveAnswers(conditional, {
      options: { features: [] },
      interactive: false,
      command: 'x',
      prompt: async () => ({}),
    }),
    { features: [] },
  );
});

test('--config reads inline JSON or a file, and says what is wrong', (t) => {
  t.deepEqual(readConfigOption('{"color":"red"}'), { color: 'red' });
  const dir = mkdtempSync(join(tmpdir(), 'fastpy-config-'));
  writeFileSync(join(dir, 'answers.json'), '{"color":"blue"}');
  t.deepEqual(readConfigOption('answers.json', dir), { color: 'blue' });
  t.throws(() => readConfigOption('missing.json', dir), { message: /cannot read "missing.json"/ });
  t.throws(() => readConfigOption('{not json'), { message: /invalid JSON/ });
  t.throws(() => readConfigOption('[1]'), { message: /JSON object/ });
  t.is(readConfigOption(undefined), undefined);
});

test('choice lists accept arrays, comma lists and "none"', (t) => {
  const parse = parseChoiceList(choices);
  t.deepEqual(parse('red, blue,red'), ['red', 'blue']);
  t.deepEqual(parse(['blue']), ['blue']);
  t.deepEqual(parse('none'), []);
  t.throws(() => parse('red,green'), { message: /unknown "green"; choose from red, blue/ });
});

test('booleans accept the usual spellings only', (t) => {
  t.true(parseBoolean('yes'));
  t.false(parseBoolean('0'));
  t.throws(() => parseBoolean('perhaps'), { message: /expected true or false/ });
});
