// Checking a plan before anything runs: every way a plan can be wrong is refused, each problem named.
import test from 'ava';
import {
  formatPlan,
  parsePlanReply,
  PlanError,
  splitCommand,
  validatePlan,
  type KnownResource,
  type PlanStep,
} from '../../../lib/ai/plan.js';
import { createProgram } from '../../../lib/cli/main.js';

const step = (command: string, reason = 'because'): PlanStep => ({ command, reason });

function problems(commands: string[], project: Record<string, KnownResource> = {}): string[] {
  try {
    validatePlan(
      commands.map((command) => step(command)),
      createProgram,
      project,
    );
  } catch (error) {
    if (error instanceof PlanError) return error.problems;
    throw error;
  }
  return [];
}

test('splitCommand splits words and quoted words, and refuses shell syntax', (t) => {
  t.deepEqual(splitCommand(`fastpy make:enum Status -v "on hold" -v 'done'`), [
    'fastpy',
    'make:enum',
    'Status',
    '-v',
    'on hold',
    '-v',
    'done',
  ]);
  t.deepEqual(splitCommand('fastpy make:resource Paint -f shade:color:default:#ff0000'), [
    'fastpy',
    'make:resource',
    'Paint',
    '-f',
    'shade:color:default:#ff0000',
  ]);
  for (const [line, found] of [
    ['fastpy db:migrate; rm -rf /', ';'],
    ['fastpy db:migrate && curl x', '&'],
    ['fastpy make:model $(whoami)', '$'],
    ['fastpy route:list > out.txt', '>'],
    ['fastpy make:model `id`', '`'],
    ['fastpy db:migrate | sh', '|'],
    ['fastpy db:migrate # comment', '#'],
  ] as const) {
    t.throws(() => splitCommand(line), { message: `shell syntax is not allowed (found "${found}")` }, line);
  }
  t.throws(() => splitCommand('fastpy make:enum Status -v "open'), { message: 'a quote is not closed' });
});

test('parsePlanReply reads the JSON object, also inside prose or a code fence', (t) => {
  const plan = parsePlanReply(
    'Here you go:\n```json\n{"steps":[{"command":" fastpy db:migrate ","reason":"tables"}]}\n```',
  );
  t.deepEqual(plan, [{ command: 'fastpy db:migrate', reason: 'tables' }]);
  t.throws(() => parsePlanReply('I cannot help with that.'), {
    instanceOf: PlanError,
    message: /the reply holds no JSON object: "I cannot help with that\."/,
  });
  t.throws(() => parsePlanReply('{"steps": [ {"command": "fastpy db:migrate",} ]}'), {
    message: /the reply is not valid JSON/,
  });
  t.throws(() => parsePlanReply('{"plan": []}'), { message: /the reply has no "steps" list/ });
  t.throws(() => parsePlanReply('{"steps": [{"reason": "x"}, {"command": 3}]}'), {
    message: /step 1: no "command" string\n {2}- step 2: no "command" string/,
  });
});

test('a valid plan comes back ready to run, without a shell', (t) => {
  const plan = validatePlan(
    [
      step('fastpy make:resource Category -f name:string:required,unique,max:100 -m'),
      step(
        'fastpy make:resource Post -f title:string:required -f category_id:integer:required,foreign:categories.id -m -p',
      ),
      step(`fastpy make:enum Status -v 'on_hold' -v done`),
      step('fastpy make:seeder Post'),
      step('fastpy db:migrate'),
    ],
    createProgram,
    {},
  );
  t.deepEqual(plan[1]!.args, [
    'make:resource',
    'Post',
    '-f',
    'title:string:required',
    '-f',
    'category_id:integer:required,foreign:categories.id',
    '-m',
    '-p',
  ]);
  t.deepEqual(plan[2]!.args, ['make:enum', 'Status', '-v', 'on_hold', '-v', 'done']);
  t.is(plan.length, 5);
  t.is(
    formatPlan([step('fastpy db:migrate', 'create the tables')]),
    '   1. fastpy db:migrate\n      create the tables',
  );
});

test('only fastpy generation and database commands that keep data', (t) => {
  t.deepEqual(problems(['rm -rf src', 'npx knex migrate:latest']), [
    'step 1 (rm -rf src): only fastpy commands may run, not "rm"',
    'step 2 (npx knex migrate:latest): only fastpy commands may run, not "npx"',
  ]);
  t.deepEqual(problems(['fastpy db:fresh --seed', 'fastpy db:rollback', 'fastpy serve', 'fastpy doctor', 'fastpy']), [
    'step 1 (fastpy db:fresh --seed): fastpy db:fresh is not allowed in a plan (it drops every table)',
    'step 2 (fastpy db:rollback): fastpy db:rollback is not allowed in a plan (it undoes migrations)',
    'step 3 (fastpy serve): fastpy serve is not allowed in a plan (it never finishes)',
    'step 4 (fastpy doctor): fastpy doctor is not allowed in a plan; plans run make:* and db:migrate, db:seed, db:status, route:list',
    'step 5 (fastpy): fastpy (nothing) is not allowed in a plan; plans run make:* and db:migrate, db:seed, db:status, route:list',
  ]);
  t.deepEqual(problems(['fastpy make:gizmo Post']), [
    'step 1 (fastpy make:gizmo Post): "make:gizmo" is not a fastpy command',
  ]);
});

test('options and arguments are checked against the real commands', (t) => {
  t.deepEqual(problems(['fastpy make:resource Post -f title:string --colour red']), [
    'step 1 (fastpy make:resource Post -f title:string --colour red): unknown option --colour for make:resource',
  ]);
  t.deepEqual(problems(['fastpy make:resource Post -f']), [
    "step 1 (fastpy make:resource Post -f): option '-f, --field <spec>' argument missing",
  ]);
  t.deepEqual(problems(['fastpy make:resource -f title:string']), [
    'step 1 (fastpy make:resource -f title:string): make:resource needs a name, e.g. make:resource Post',
  ]);
  t.deepEqual(problems(['fastpy make:enum Status Extra -v a']), [
    'step 1 (fastpy make:enum Status Extra -v a): make:enum takes 1 argument, got 2: Status Extra',
  ]);
  t.deepEqual(
    problems([
      'fastpy make:resource Post -f title:string --force',
      'fastpy make:resource Post -f title:string --remove',
    ]),
    [
      'step 1 (fastpy make:resource Post -f title:string --force): --force is not allowed in a plan (it overwrites files you edited)',
      'step 2 (fastpy make:resource Post -f title:string --remove): --remove is not allowed in a plan (it deletes a resource)',
    ],
  );
  t.deepEqual(problems(['fastpy make:resource blog-post! -f title:string']), [
    'step 1 (fastpy make:resource blog-post! -f title:string): "blog-post!" is not a name: use PascalCase letters and digits, e.g. BlogPost',
  ]);
});

test('names and field specs go through the real checks', (t) => {
  t.deepEqual(problems(['fastpy make:resource Post -f title:strin:required -f body:text:required,nullable']), [
    'step 1 (fastpy make:resource Post -f title:strin:required -f body:text:required,nullable): field "title": unknown type "strin" (did you mean "string"?); types: string, text, integer, bigint, float, decimal, money, percent, boolean, datetime, date, time, email, url, uuid, json, phone, slug, ip, color, file, image',
    'step 1 (fastpy make:resource Post -f title:strin:required -f body:text:required,nullable): field "body": "required" and "nullable" contradict each other: a required field must have a value',
  ]);
  t.deepEqual(problems(['fastpy make:resource Post']), [
    'step 1 (fastpy make:resource Post): make:resource needs its fields (-f name:type[:rules], repeatable)',
  ]);
  t.deepEqual(problems(['fastpy make:resource User -f nickname:string']), [
    'step 1 (fastpy make:resource User -f nickname:string): "User" is built in (the users table belongs to authentication)',
  ]);
  t.deepEqual(problems(['fastpy make:model Blog_Post -f title:string']), [
    'step 1 (fastpy make:model Blog_Post -f title:string): "Blog_Post" is not a name: use PascalCase letters and digits, e.g. BlogPost',
  ]);
});

test("enum values and exception statuses go through their generators' checks", (t) => {
  t.deepEqual(problems(['fastpy make:enum Status -v draft -v "in review"']), [
    'step 1 (fastpy make:enum Status -v draft -v "in review"): Cannot make the enum: "in review" (use letters, digits, _, . and -). Nothing was written.',
  ]);
  t.deepEqual(problems(['fastpy make:enum Status']), [
    'step 1 (fastpy make:enum Status): make:enum needs its values (-v value, repeatable)',
  ]);
  t.deepEqual(
    problems([
      'fastpy make:exception PaymentFailed -s 302',
      'fastpy make:exception Gone -s 410',
      'fastpy make:exception Bad',
    ]),
    [
      "step 1 (fastpy make:exception PaymentFailed -s 302): -s 302: an exception's status is an HTTP error status, 400 to 599",
    ],
  );
});

test('foreign keys need their table by then; parts need their model; nothing existing is dropped or narrowed', (t) => {
  t.deepEqual(
    problems([
      'fastpy make:resource Comment -f body:text -f post_id:integer:required,foreign:posts.id',
      'fastpy make:resource Post -f title:string',
    ]),
    [
      'step 1 (fastpy make:resource Comment -f body:text -f post_id:integer:required,foreign:posts.id): field "post_id": foreign:posts.id: the project has no table "posts"; tables: comments, users',
    ],
  );
  t.deepEqual(
    problems(['fastpy make:resource Comment -f body:text -f post_id:integer:required,foreign:posts.id'], {
      Post: { table: 'posts', fields: ['title:string'] },
    }),
    [],
  );
  t.deepEqual(
    problems([
      'fastpy make:resource Note -f body:text -f user_id:integer:foreign:users.id -f parent_id:integer:nullable,foreign:notes.id',
    ]),
    [],
    'users and itself',
  );
  t.deepEqual(problems(['fastpy make:controller Invoice']), [
    'step 1 (fastpy make:controller Invoice): make:controller Invoice needs the model first (make:resource or make:model Invoice in an earlier step)',
  ]);
  t.deepEqual(problems(['fastpy make:model Invoice -f number:string -m', 'fastpy make:controller Invoice']), []);
  t.deepEqual(problems(['fastpy make:resource']), [
    'step 1 (fastpy make:resource): make:resource needs a name, e.g. make:resource Post',
  ]);
  const project = { Post: { table: 'posts', fields: ['title:string:required', 'body:text'] } };
  // -f adds a field or changes the one of its name; the others stay.
  t.deepEqual(
    problems(
      [
        'fastpy make:resource Post -f summary:string',
        'fastpy make:resource Post -f title:string:required,max:300 --rename-field body:content',
      ],
      project,
    ),
    [],
  );
  t.deepEqual(
    problems(
      ['fastpy make:resource Post -f title:string:required,max:20', 'fastpy make:resource Post -f body:string'],
      project,
    ),
    [
      'step 1 (fastpy make:resource Post -f title:string:required,max:20): Post would lose data (narrows title: string(255) → string(20): values longer than 20 characters do not fit); a plan may only add fields or widen them',
      'step 2 (fastpy make:resource Post -f body:string): Post would lose data (narrows body: text → string(255): values longer than 255 characters do not fit); a plan may only add fields or widen them',
    ],
  );
  t.deepEqual(
    problems(
      ['fastpy make:resource Post --remove-field body', 'fastpy make:resource Post -f x:string --allow-data-loss'],
      project,
    ),
    [
      'step 1 (fastpy make:resource Post --remove-field body): --remove-field is not allowed in a plan (it drops a column and its data)',
      'step 2 (fastpy make:resource Post -f x:string --allow-data-loss): --allow-data-loss is not allowed in a plan (it skips the check that nothing is lost)',
    ],
  );
});

test('an empty or overlong plan is refused', (t) => {
  t.deepEqual(problems([]), ['the plan has no steps']);
  t.deepEqual(problems(Array.from({ length: 41 }, () => 'fastpy db:status')), ['the plan has 41 steps; at most 40']);
});
