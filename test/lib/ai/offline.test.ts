// The offline planner: entities from prose, their usual fields, relations, parents first — and
// every plan it makes passes the same checks a model's plan does.
import test from 'ava';
import { entitiesIn, KNOWN_ENTITIES, planOffline } from '../../../lib/ai/offline.js';
import { validatePlan } from '../../../lib/ai/plan.js';
import { createProgram } from '../../../lib/cli/main.js';
import { parseFieldSpecs } from '../../../runtime/fields/spec.js';

const commands = (prose: string, project = {}) => planOffline(prose, project).steps.map((step) => step.command);

test("every known entity's fields parse", (t) => {
  for (const [name, entity] of Object.entries(KNOWN_ENTITIES)) t.notThrows(() => parseFieldSpecs(entity.fields), name);
});

test('entities come from the prose: known ones anywhere, unknown plural nouns in lists; containers and users are not entities', (t) => {
  t.deepEqual(entitiesIn('Create a blog with posts, categories and comments'), ['post', 'category', 'comment']);
  t.deepEqual(entitiesIn('Track invoices and shipments for my customers'), ['invoice', 'shipment', 'customer']);
  t.deepEqual(entitiesIn('An API for users to manage their vehicles, garages and authors'), [
    'vehicle',
    'garage',
    'author',
  ]);
  t.deepEqual(entitiesIn('hello world'), []);
});

test('a blog: parents first, each child with its foreign key, then the migration', (t) => {
  t.deepEqual(commands('Create a blog with posts, categories and comments'), [
    'fastpy make:resource Category -f name:string:required,unique,max:100 -f description:text:nullable -m',
    'fastpy make:resource Post -f title:string:required,max:200 -f slug:slug:required,unique -f body:text:required -f published_at:datetime:nullable -f category_id:integer:required,foreign:categories.id -m',
    'fastpy make:resource Comment -f body:text:required,max:2000 -f post_id:integer:required,foreign:posts.id -m',
    'fastpy db:migrate',
  ]);
  const plan = planOffline('Create a blog with posts, categories and comments', {});
  t.is(plan.steps[1]!.reason, 'posts: title, slug, body, published_at, category_id (belongs to categories)');
  t.is(validatePlan(plan.steps, createProgram, {}).length, 4);
});

test('resources the project has are left alone and can be parents', (t) => {
  const project = { Post: { table: 'posts', fields: ['title:string:required'] } };
  const plan = planOffline('Add comments to posts', project);
  t.deepEqual(
    plan.steps.map((step) => step.command),
    [
      'fastpy make:resource Comment -f body:text:required,max:2000 -f post_id:integer:required,foreign:posts.id -m',
      'fastpy db:migrate',
    ],
  );
  t.deepEqual(plan.notes, ['Post exists already: left as it is']);
  t.notThrows(() => validatePlan(plan.steps, createProgram, project));
  t.deepEqual(planOffline('Add posts', project), {
    steps: [],
    notes: ['Post exists already: left as it is', 'nothing new to create'],
  });
});

test('users and protection: owned records belong to a user, routes go behind a token', (t) => {
  const [projectStep, taskStep] = commands('A project tracker with projects and tasks for signed-in users');
  t.regex(projectStep!, /^fastpy make:resource Project .* -f user_id:integer:required,foreign:users\.id -m -p$/);
  t.regex(
    taskStep!,
    /-f project_id:integer:required,foreign:projects\.id -f user_id:integer:required,foreign:users\.id -m -p$/,
  );
  t.notRegex(
    commands('A library with books and authors').join('\n'),
    /users|-p/,
    '"authors" is not about authentication',
  );
});

test('a stated relation wins over the usual one; unknown entities get generic fields and a warning', (t) => {
  t.regex(commands('Photos and comments on photos')[1]!, /-f photo_id:integer:required,foreign:photos\.id/);
  const plan = planOffline('Track invoices and shipments', {});
  const shipment = plan.steps.find((step) => step.command.includes('Shipment'))!;
  t.is(
    shipment.command,
    'fastpy make:resource Shipment -f name:string:required,max:150 -f description:text:nullable -m',
  );
  t.regex(shipment.reason, /does not know: review its fields/);
  t.notThrows(() => validatePlan(plan.steps, createProgram, {}));
});

test('prose naming nothing plans nothing, and says why', (t) => {
  t.deepEqual(planOffline('make it fast', {}), {
    steps: [],
    notes: ['no entities found in the request; name them, e.g. "a shop with products, orders and customers"'],
  });
});
