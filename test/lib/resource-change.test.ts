// The change planner as a pure function: stored fields + the change asked for → the new field list,
// the schema change column by column and what can lose data; and the migration each plan becomes.
import test from 'ava';
import {
  describeSteps,
  narrowing,
  parseRenames,
  planFieldChange,
  ResourceChangeError,
  type ChangeFacts,
  type FieldChangeRequest,
} from '../../lib/resource-change.js';
import { migrationHelpers, migrationPlan } from '../../lib/resource.js';
import { formatFieldSpec, parseFieldSpec, parseFieldSpecs } from '../../runtime/fields/spec.js';

const STORED = parseFieldSpecs([
  'title:string:required,max:120',
  'body:text:nullable',
  'cover:image:nullable',
  'price:decimal:nullable',
  'slug:slug:required,unique',
  'owner_id:integer:foreign:users.id',
  'subtitle:string:nullable',
]);
const FACTS: ChangeFacts = { table: 'articles', tables: { users: ['id', 'email'], tags: ['id', 'name'] } };
const change = (request: Partial<FieldChangeRequest>, stored = STORED, facts = FACTS) =>
  planFieldChange(stored, { set: [], rename: [], remove: [], ...request }, facts);
const specs = (plan: { fields: readonly Parameters<typeof formatFieldSpec>[0][] }) => plan.fields.map(formatFieldSpec);
const problems = (t: import('ava').ExecutionContext, run: () => unknown) =>
  t.throws(run, { instanceOf: ResourceChangeError }).problems;

test('adding a field keeps every other field: leaving fields out never removes them', (t) => {
  const plan = change({ set: [parseFieldSpec('views:integer:default:0')] });
  t.deepEqual(specs(plan), [...STORED.map(formatFieldSpec), 'views:integer:default:0']);
  t.deepEqual(plan.steps, [{ kind: 'add', field: parseFieldSpec('views:integer:default:0') }]);
  t.deepEqual(plan.risks, []);
});

test('a field given by name changes in place; the same definition again is no change', (t) => {
  const plan = change({ set: [parseFieldSpec('title:string:required,max:200'), parseFieldSpec('body:text:nullable')] });
  t.deepEqual(specs(plan)[0], 'title:string:required,max:200');
  t.deepEqual(
    plan.steps.map((step) => step.kind),
    ['change'],
  );
  t.deepEqual(plan.risks, [], 'a longer string is a widening');
  t.deepEqual(change({ set: STORED }).steps, []);
});

test('a rename keeps the place and the definition, and may be changed in the same run', (t) => {
  const plan = change({
    rename: [{ from: 'body', to: 'content' }],
    set: [parseFieldSpec('content:text:nullable,max:5000')],
  });
  t.is(specs(plan)[1], 'content:text:nullable,max:5000');
  t.deepEqual(
    plan.steps.map((step) => step.kind),
    ['rename', 'change'],
  );
  t.deepEqual(plan.risks, []);
  t.deepEqual(describeSteps(plan.steps), [
    'rename  body → content (text, nullable): the values stay',
    'change  content: text, nullable → text, nullable (checked by the API; the column stays as it is)',
  ]);
});

test('removing is explicit, and named as data loss', (t) => {
  const plan = change({ remove: ['cover'] });
  t.false(specs(plan).some((spec) => spec.startsWith('cover:')));
  t.deepEqual(plan.risks, [
    {
      column: 'cover',
      kind: 'drop',
      action: 'drop cover',
      message: 'drops cover (image, string(2048), nullable): its values are deleted',
    },
  ]);
});

test('narrowing is named: a shorter string, text to string, fewer digits, another type', (t) => {
  const risk = (spec: string) => change({ set: [parseFieldSpec(spec)] }).risks.map((item) => item.message);
  t.deepEqual(risk('title:string:required,max:50'), [
    'narrows title: string(120) → string(50): values longer than 50 characters do not fit',
  ]);
  t.deepEqual(risk('body:string:nullable'), [
    'narrows body: text → string(255): values longer than 255 characters do not fit',
  ]);
  t.deepEqual(risk('price:money:nullable'), [], 'decimal(10,2) → decimal(15,2) widens');
  t.deepEqual(risk('subtitle:text:nullable'), [], 'string → text widens');
  t.deepEqual(risk('subtitle:integer:nullable'), [
    'narrows subtitle: string(255) → integer: values that do not convert to integer are lost or stop the migration',
  ]);
  const money = parseFieldSpecs(['amount:money:nullable']);
  t.deepEqual(
    change({ set: [parseFieldSpec('amount:decimal:nullable')] }, money).risks.map((item) => item.kind),
    ['narrow'],
  );
  t.regex(
    narrowing(money[0]!, parseFieldSpec('amount:decimal'))!,
    /values with more than 8 digits before the point do not fit/,
  );
  t.is(narrowing(parseFieldSpec('n:integer'), parseFieldSpec('n:bigint')), undefined);
  t.is(narrowing(parseFieldSpec('n:integer'), parseFieldSpec('n:float')), undefined);
  t.regex(narrowing(parseFieldSpec('n:bigint'), parseFieldSpec('n:integer'))!, /do not fit/);
  t.is(narrowing(parseFieldSpec('e:email'), parseFieldSpec('e:string')), undefined, 'the same column');
});

test('nullable → required: a risk unless the rows all have a value, and none with a default', (t) => {
  const required = [parseFieldSpec('subtitle:string:required')];
  const unknown = change({ set: required });
  t.deepEqual(unknown.becomeRequired, ['subtitle']);
  t.deepEqual(
    unknown.risks.map((risk) => risk.kind),
    ['required'],
  );
  t.deepEqual(change({ set: required }, STORED, { ...FACTS, rowsWithoutValue: { subtitle: 0 } }).risks, []);
  t.regex(
    change({ set: required }, STORED, { ...FACTS, rowsWithoutValue: { subtitle: 3 } }).risks[0]!.message,
    /3 rows have no value/,
  );
  t.deepEqual(
    change({ set: [parseFieldSpec('subtitle:string:default:untitled')] }).risks,
    [],
    'a default fills the rows without one',
  );
});

test('bad changes are refused, naming every problem', (t) => {
  t.deepEqual(
    problems(t, () =>
      change({
        rename: [
          { from: 'bdy', to: 'x' },
          { from: 'title', to: 'slug' },
          { from: 'cover', to: 'Bad' },
        ],
        remove: ['nope'],
      }),
    ),
    [
      '--rename-field bdy:x: there is no field "bdy" (did you mean "body"?)',
      '--rename-field title:slug: "slug" is already a field',
      '--rename-field cover:Bad: field names are snake_case: lowercase letters, digits and _, starting with a letter (e.g. published_at)',
      '--remove-field nope: there is no field "nope" (fields: title, body, cover, price, slug, owner_id, subtitle)',
    ],
  );
  t.deepEqual(
    problems(t, () => change({ remove: ['body'], set: [parseFieldSpec('body:text')] })),
    ['field "body" is both removed and given (-f): do one or the other'],
  );
  t.regex(problems(t, () => change({ remove: STORED.map((field) => field.name) }))[0]!, /needs at least one field/);
});

test('a foreign key must name a table the project has, and its id or a unique column', (t) => {
  t.deepEqual(
    problems(t, () => change({ set: [parseFieldSpec('author_id:integer:foreign:authors.id')] })),
    ['field "author_id": foreign:authors.id: the project has no table "authors"; tables: articles, tags, users'],
  );
  t.regex(
    problems(t, () => change({ set: [parseFieldSpec('tag_id:integer:foreign:tagz.id')] }))[0]!,
    /\(did you mean "tags"\?\)/,
  );
  t.regex(
    problems(t, () => change({ set: [parseFieldSpec('owner:string:foreign:users.name')] }))[0]!,
    /users\.name cannot be referenced: a foreign key points at id or a unique column \(users\.id, users\.email\)/,
  );
  t.is(
    change({ set: [parseFieldSpec('parent_id:integer:nullable,foreign:articles.id')] }).steps.length,
    1,
    'its own table',
  );
  t.is(
    change({ set: [parseFieldSpec('parent_slug:string:nullable,foreign:articles.slug')] }).steps.length,
    1,
    'a unique column of its own',
  );
});

test("a column other resources' foreign keys point at is not renamed or removed from under them", (t) => {
  const facts = { ...FACTS, referencedBy: { slug: ['Comment.article_slug'], id: ['Like.article_id'] } };
  t.deepEqual(
    problems(t, () => change({ rename: [{ from: 'slug', to: 'handle' }] }, STORED, facts)),
    ['--rename-field slug: Comment.article_slug refers to articles.slug; change that field first'],
  );
  t.deepEqual(
    problems(t, () => change({ remove: ['slug'] }, STORED, facts)),
    ['--remove-field slug: Comment.article_slug refers to articles.slug; change that field first'],
  );
  t.is(change({ rename: [{ from: 'body', to: 'content' }] }, STORED, facts).steps.length, 1);
});

test('--rename-field values', (t) => {
  t.deepEqual(parseRenames(['body:content', ' a : b ']), [
    { from: 'body', to: 'content' },
    { from: 'a', to: 'b' },
  ]);
  t.deepEqual(parseRenames({ body: 'content' }), [{ from: 'body', to: 'content' }]);
  t.throws(() => parseRenames(['body']), { message: /write it as old_name:new_name/ });
});

test('the migration of a plan: renames keep their keys, drops and adds undo each other, down runs backwards', (t) => {
  const plan = change({
    rename: [{ from: 'slug', to: 'handle' }],
    remove: ['cover'],
    set: [
      parseFieldSpec('title:string:required,max:200'),
      parseFieldSpec('owner_id:integer'),
      parseFieldSpec('views:integer:default:0'),
    ],
  });
  const migration = migrationPlan('articles', plan.steps);
  t.deepEqual(migration.up.checks, []);
  t.deepEqual(migration.up.steps, [
    {
      title: 'rename slug → handle',
      blocks: [
        { alter: ["table.dropUnique(['slug'])"] },
        { alter: ["table.renameColumn('slug', 'handle')"] },
        { alter: ["table.unique(['handle'])"] },
      ],
    },
    { title: 'drop cover', blocks: [{ alter: ["table.dropColumn('cover')"] }] },
    { title: 'change title', blocks: [{ alter: ["table.string('title', 200).notNullable().alter()"] }] },
    {
      title: 'change owner_id',
      blocks: [
        { alter: ["table.dropForeign(['owner_id'])"] },
        { alter: ["table.integer('owner_id').nullable().alter()"] },
      ],
    },
    { title: 'add views', blocks: [{ alter: ["table.integer('views').notNullable().defaultTo(0)"] }] },
  ]);
  t.deepEqual(
    migration.down.steps.map((step) => step.title),
    [
      'undo: add views',
      'undo: change owner_id',
      'undo: change title',
      'undo: drop cover',
      'undo: rename slug → handle',
    ],
  );
  t.deepEqual(migration.down.steps[0]!.blocks, [{ alter: ["table.dropColumn('views')"] }]);
  t.deepEqual(migration.down.steps[1]!.blocks, [
    { alter: ["table.integer('owner_id').unsigned().nullable().alter()"] },
    { alter: ["table.foreign('owner_id').references('id').inTable('users')"] },
  ]);
  t.deepEqual(migration.down.steps[3]!.blocks, [{ alter: ["table.string('cover', 2048).nullable()"] }]);
  t.deepEqual(migration.down.steps[4]!.blocks, [
    { alter: ["table.dropUnique(['handle'])"] },
    { alter: ["table.renameColumn('handle', 'slug')"] },
    { alter: ["table.unique(['slug'])"] },
  ]);
  t.deepEqual(migrationHelpers(migration), []);
});

test('the migration of a column becoming required: filled with its default, or checked first under its old name', (t) => {
  const filled = migrationPlan('articles', change({ set: [parseFieldSpec('subtitle:string:default:untitled')] }).steps);
  t.deepEqual(filled.up.steps[0]!.blocks, [
    { code: "fillMissing(db, 'articles', 'subtitle', 'untitled')" },
    { alter: ["table.string('subtitle', 255).notNullable().defaultTo('untitled').alter()"] },
  ]);
  const checked = migrationPlan(
    'articles',
    change({ rename: [{ from: 'subtitle', to: 'tagline' }], set: [parseFieldSpec('tagline:string:required')] }).steps,
  );
  t.deepEqual(
    checked.up.checks,
    ["requireValues(db, 'articles', 'subtitle')"],
    'checks run before the rename, so they use the old name',
  );
  t.deepEqual(checked.down.checks, []);
  const relaxed = migrationPlan('articles', change({ set: [parseFieldSpec('title:string:nullable,max:120')] }).steps);
  t.deepEqual(relaxed.down.checks, ["requireValues(db, 'articles', 'title')"], 'undoing makes it required again');
  t.deepEqual(migrationHelpers(checked), ['requireValues']);
  t.deepEqual(migrationHelpers(filled), ['fillMissing']);
});

test('a change of rules the API checks alone writes no migration step', (t) => {
  const plan = change({ set: [parseFieldSpec('title:string:required,max:120,min:3')] });
  t.is(plan.steps.length, 1);
  t.deepEqual(migrationPlan('articles', plan.steps).up.steps, []);
});
