import test from 'ava';
import {
  childrenOf,
  migrationColumn,
  migrationStamp,
  resourceContext,
  resourceNameProblem,
  resourceNames,
  tsLiteral,
} from '../../lib/resource.js';
import { parseFieldSpec } from '../../runtime/fields/spec.js';

test('names of a resource', (t) => {
  t.deepEqual(resourceNames('blog_post'), {
    className: 'BlogPost',
    camelName: 'blogPost',
    fileName: 'blog-post',
    pluralFileName: 'blog-posts',
    table: 'blog_posts',
    routePath: '/api/blog-posts',
  });
  t.is(resourceNames('Person').table, 'people');
  t.is(resourceNames('Category').routePath, '/api/categories');
  t.regex(resourceNameProblem('User')!, /built in/);
  t.regex(resourceNameProblem('Sheep')!, /no distinct plural/);
  t.is(resourceNameProblem('Invoice'), undefined);
});

test('TypeScript literals', (t) => {
  t.is(
    tsLiteral({
      name: "o'neil",
      rules: { required: true, foreign: { table: 'users', column: 'id' } },
      'two words': [1, null],
    }),
    "{ name: 'o\\'neil', rules: { required: true, foreign: { table: 'users', column: 'id' } }, 'two words': [1, null] }",
  );
});

test('migration columns follow the type table and the rules', (t) => {
  const column = (spec: string, mode?: 'create' | 'add' | 'alter') => migrationColumn(parseFieldSpec(spec), mode);
  t.is(column('title:string:required,max:200,unique'), "table.string('title', 200).notNullable().unique()");
  t.is(column('price:money:gte:0'), "table.decimal('price', 15, 2).nullable()");
  t.is(column('at:datetime:nullable,index'), "table.timestamp('at', { useTz: true, precision: 3 }).nullable().index()");
  t.is(
    column('seen:datetime:default:now'),
    "table.timestamp('seen', { useTz: true, precision: 3 }).notNullable().defaultTo(dialectOf(knex).currentTimestamp(knex))",
  );
  t.is(
    column('user_id:integer:required,foreign:users.id'),
    "table.integer('user_id').unsigned().notNullable().references('id').inTable('users')",
  );
  t.is(
    column('meta:json:default:{"a":1}'),
    "table.jsonb('meta').notNullable()",
    'JSON defaults are applied by the app (MySQL refuses them)',
  );
  t.is(column('views:integer:default:0'), "table.integer('views').notNullable().defaultTo(0)");
  t.is(
    column('subtitle:string:required', 'add'),
    "table.string('subtitle', 255).nullable()",
    'existing rows have no value',
  );
  t.is(column('title:string:required,unique', 'alter'), "table.string('title', 255).notNullable().alter()");
});

test('migration stamps are later than every existing migration', (t) => {
  const now = new Date('2026-11-27T10:00:00Z');
  t.is(migrationStamp([], now), '20261127100000');
  t.is(migrationStamp(['20261127100000_create_posts_table.ts', '20260101000000_x.ts'], now), '20261127100001');
  t.is(migrationStamp(['20991231000000_future.ts'], now), '20991231000001');
});

test("hasMany relations: every other resource's key to the table, named after its table (and the key when there are several)", (t) => {
  const fields = (...specs: string[]) => specs.map((spec) => parseFieldSpec(spec));
  const resources = {
    Post: { table: 'posts', fields: fields('title:string') },
    Comment: { table: 'comments', fields: fields('post_id:integer:foreign:posts.id'), factory: true },
    Message: {
      table: 'messages',
      fields: fields('post_id:integer:foreign:posts.id', 'reply_to_id:integer:foreign:posts.id'),
    },
    Tag: { table: 'tags', fields: fields('name:string') },
    Category: { table: 'categories', fields: fields('parent_id:integer:foreign:categories.id') },
  };
  t.deepEqual(childrenOf('Post', 'posts', resources, new Set()), [
    {
      name: 'comments',
      field: 'id',
      column: 'post_id',
      modelName: 'Comment',
      modelFile: 'comment',
      factoryName: 'commentFactory',
    },
    { name: 'messages_by_post', field: 'id', column: 'post_id', modelName: 'Message', modelFile: 'message' },
    { name: 'messages_by_reply_to', field: 'id', column: 'reply_to_id', modelName: 'Message', modelFile: 'message' },
  ]);
  t.deepEqual(
    childrenOf('Post', 'posts', resources, new Set(['comments'])).map((relation) => relation.name),
    ['messages_by_post', 'messages_by_reply_to'],
    'a name a field or a belongsTo has is left out',
  );
  t.deepEqual(childrenOf('Category', 'categories', resources, new Set()), [], 'a resource is not its own child');

  const post = resourceContext('Post', fields('title:string'), { protected: false, seedIndex: 1, resources });
  t.deepEqual(post.controllerModels, [
    { modelName: 'Comment', modelFile: 'comment' },
    { modelName: 'Message', modelFile: 'message' },
  ]);
  t.deepEqual(
    post.testedChildren.map((child) => child.name),
    ['comments'],
    'only children with a factory are tested',
  );
  t.deepEqual(post.testFactories, [{ factoryName: 'commentFactory', modelFile: 'comment' }]);
  t.deepEqual(post.testModels, [{ modelName: 'Comment', modelFile: 'comment' }]);
});

test('nested routes: each child keyed to the id, behind the token when either side is protected, once per controller; none on an older runtime', (t) => {
  const fields = (...specs: string[]) => specs.map((spec) => parseFieldSpec(spec));
  const resources = {
    Post: { table: 'posts', fields: fields('title:string', 'code:integer:unique') },
    Comment: { table: 'comments', fields: fields('post_id:integer:foreign:posts.id') },
    Message: {
      table: 'messages',
      fields: fields('post_id:integer:foreign:posts.id', 'reply_to_id:integer:foreign:posts.id'),
      protected: true,
    },
    Link: { table: 'links', fields: fields('post_code:integer:foreign:posts.code') },
  };
  const post = resourceContext('Post', resources.Post.fields, { protected: false, seedIndex: 1, resources });
  t.deepEqual(
    post.nestedChildren.map((child) => [child.name, child.path, child.column, child.variable, child.guarded]),
    [
      ['comments', 'comments', 'post_id', 'nestedComments', false],
      ['messages_by_post', 'messages-by-post', 'post_id', 'nestedMessagesByPost', true],
      ['messages_by_reply_to', 'messages-by-reply-to', 'reply_to_id', 'nestedMessagesByReplyTo', true],
    ],
    "a key to another column (links.post_code → posts.code) has an include but no nested routes; a protected child's need the token",
  );
  t.true(post.children.some((child) => child.name === 'links'));
  t.deepEqual(post.nestedControllers, [
    { controllerName: 'CommentController', controllerFile: 'comment' },
    { controllerName: 'MessageController', controllerFile: 'message' },
  ]);
  t.true(
    resourceContext('Post', resources.Post.fields, { protected: true, seedIndex: 1, resources }).nestedChildren.every(
      (child) => child.guarded,
    ),
  );
  const older = {
    hasMany: true,
    nestedRoutes: false,
    existingParents: false,
    modelFields: false,
    owners: false,
    manyToMany: false,
  };
  t.deepEqual(
    resourceContext('Post', resources.Post.fields, { protected: false, seedIndex: 1, resources, runtime: older })
      .nestedChildren,
    [],
  );
  // Seeders attach to the parents there are (where the runtime can).
  const message = resourceContext('Message', resources.Message.fields, { protected: true, seedIndex: 2, resources });
  t.deepEqual(message.seedParents, ['posts']);
  t.deepEqual(
    resourceContext('Message', resources.Message.fields, { protected: true, seedIndex: 2, resources, runtime: older })
      .seedParents,
    [],
  );
});
