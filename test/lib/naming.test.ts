import test from 'ava';
import {
  camelCase,
  foreignKeyName,
  kebabCase,
  pascalCase,
  pluralName,
  projectNameProblem,
  routePath,
  snakeCase,
  suggestProjectName,
  tableName,
} from '../../lib/naming.js';

test('case conversions agree on word boundaries', (t) => {
  for (const input of ['BlogPost', 'blog_post', 'blog-post', 'blogPost', 'Blog Post']) {
    t.is(pascalCase(input), 'BlogPost', input);
    t.is(camelCase(input), 'blogPost', input);
    t.is(snakeCase(input), 'blog_post', input);
    t.is(kebabCase(input), 'blog-post', input);
  }
  t.is(snakeCase('HTTPServer'), 'http_server');
  t.is(snakeCase('OAuth2Client'), 'o_auth2_client');
});

test('tables are plural snake_case, with irregular plurals', (t) => {
  t.is(tableName('BlogPost'), 'blog_posts');
  t.is(tableName('Category'), 'categories');
  t.is(tableName('Person'), 'people');
  t.is(tableName('Status'), 'statuses');
  t.is(tableName('BlogCategory'), 'blog_categories');
  t.is(pluralName('Child'), 'Children');
});

test("a foreign key is named after the table's singular: post_id, blog_category_id, person_id", (t) => {
  t.is(foreignKeyName('posts'), 'post_id');
  t.is(foreignKeyName('blog_categories'), 'blog_category_id');
  t.is(foreignKeyName('people'), 'person_id');
  t.is(foreignKeyName('users'), 'user_id');
  for (const model of ['BlogPost', 'Person', 'Status', 'Child'])
    t.is(foreignKeyName(tableName(model)), `${snakeCase(model)}_id`, model);
});

test('routes are /api/<plural-kebab>', (t) => {
  t.is(routePath('BlogPost'), '/api/blog-posts');
  t.is(routePath('Person'), '/api/people');
});

test('project names must be valid npm package names', (t) => {
  t.is(projectNameProblem('my-api'), undefined);
  t.is(projectNameProblem('@acme/api'), undefined);
  t.regex(projectNameProblem('My API')!, /lowercase.*e\.g\. my-api/);
  t.regex(projectNameProblem('')!, /empty/);
  t.regex(projectNameProblem('.hidden')!, /cannot start/);
  t.regex(projectNameProblem('x'.repeat(215))!, /214/);
  t.regex(projectNameProblem('node_modules')!, /reserved/);
});

test('a folder name suggests a project name', (t) => {
  t.is(suggestProjectName('My Cool API'), 'my-cool-api');
  t.is(suggestProjectName('___'), 'my-api');
});
