// A resource under one record of its parent (`GET|POST /api/posts/:id/comments`, through
// ResourceController.nested): the child's whole list contract scoped to the parent, a create with
// the parent taken from the path, a missing or soft-deleted parent a 404 — on every database — and
// the OpenAPI document describing both routes, every response checked against it (the linters'
// verdict on such a document is in openapi.test.ts).
import Router from '@koa/router';
import test from 'ava';
import { Validator } from '@seriousme/openapi-schema-validator';
import knex, { type Knex } from 'knex';
import type { RouteFactory } from '../../runtime/app.js';
import { ResourceController } from '../../runtime/controllers/resource-controller.js';
import { knexConfigFromUrl } from '../../runtime/database/dialects.js';
import { modelTimestamps } from '../../runtime/database/schema.js';
import { parseFieldSpecs } from '../../runtime/fields/spec.js';
import { Model, type BaseRecord } from '../../runtime/models/base-model.js';
import { BaseRepository } from '../../runtime/repositories/base-repository.js';
import { authRoutes } from '../../runtime/routes/auth.js';
import { BaseService } from '../../runtime/services/base-service.js';
import { testDrivers } from '../helpers/databases.js';
import { openApiChecker } from '../helpers/openapi.js';
import { startResourceApp } from '../helpers/resource-app.js';

const postFields = parseFieldSpecs(['title:string:required']);
const commentFields = parseFieldSpecs([
  'body:text:required',
  'rating:integer:gte:1,lte:5,nullable',
  'post_id:integer:required,foreign:posts.id',
]);
const Post = new Model<BaseRecord>({ name: 'Post', table: 'posts', fields: postFields });
const Comment = new Model<BaseRecord>({ name: 'Comment', table: 'comments', fields: commentFields });

const commentController = (db: Knex) =>
  new ResourceController({
    db,
    model: Comment,
    fields: commentFields,
    service: new BaseService(new BaseRepository(db, Comment)),
    relations: { post: { field: 'post_id', column: 'id', model: Post } },
  });

/** The posts' router with the comments under each post, as a parent's routes file mounts them. */
const postRoutes: RouteFactory = ({ db }) => {
  const posts = new ResourceController({
    db,
    model: Post,
    fields: postFields,
    service: new BaseService(new BaseRepository(db, Post)),
  });
  const comments = commentController(db).nested(Post, 'post_id');
  return new Router({ prefix: '/api/posts' })
    .post('posts.store', '/', posts.store)
    .get('posts.show', '/:id', posts.show)
    .patch('posts.update', '/:id', posts.update)
    .get('posts.comments.index', '/:id/comments', comments.index)
    .post('posts.comments.store', '/:id/comments', comments.store);
};

/** The comments' own routes (the document's CommentCreate and CommentUpdate are theirs). */
const commentRoutes: RouteFactory = ({ db }) => {
  const comments = commentController(db);
  return new Router({ prefix: '/api/comments' })
    .post('comments.store', '/', comments.store)
    .patch('comments.update', '/:id', comments.update);
};

test('nested() refuses a field the resource lacks, or one referring to another table', (t) => {
  const db = knex(knexConfigFromUrl('sqlite::memory:'));
  t.teardown(() => db.destroy());
  const controller = new ResourceController({
    db,
    model: Comment,
    fields: commentFields,
    service: new BaseService(new BaseRepository(db, Comment)),
  });
  t.throws(() => controller.nested(Post, 'article_id'), { message: 'nested(): Comment has no field article_id' });
  const Tag = new Model<BaseRecord>({ name: 'Tag', table: 'tags', casts: {} });
  t.throws(() => controller.nested(Tag, 'post_id'), { message: 'nested(): Comment.post_id refers to posts, not tags' });
});

for (const driver of testDrivers()) {
  test.serial(
    `${driver}: GET and POST /api/posts/:id/comments keep the list contract under one post; a missing parent is a 404`,
    async (t) => {
      const app = await startResourceApp({
        driver,
        database: 'fastpy_nested',
        app: { routes: [authRoutes, postRoutes, commentRoutes] },
      });
      try {
        await app.db.schema.createTable('posts', (table) => {
          table.increments('id');
          table.string('title').notNullable();
          modelTimestamps(app.db, table);
        });
        await app.db.schema.createTable('comments', (table) => {
          table.increments('id');
          table.text('body').notNullable();
          table.integer('rating').nullable();
          table.integer('post_id').unsigned().notNullable().references('id').inTable('posts');
          modelTimestamps(app.db, table);
        });
        await app
          .db('posts')
          .insert([{ title: 'First' }, { title: 'Second' }, { title: 'Gone', deleted_at: new Date() }]);
        await app.db('comments').insert([
          { body: 'great post', rating: 5, post_id: 1 },
          { body: 'on the second', rating: 4, post_id: 2 },
          { body: 'meh', rating: 2, post_id: 1 },
          { body: 'deleted one', rating: 3, post_id: 1, deleted_at: new Date() },
          { body: 'also great', rating: 5, post_id: 1 },
        ]);
        const document = (await (await fetch(`${app.base}/openapi.json`)).json()) as Record<string, any>;
        const checker = openApiChecker(document);
        const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
          const response = await fetch(app.base + path, {
            method,
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const json = (await response.json()) as {
            data: any;
            pagination?: any;
            errors?: Record<string, string[]>;
            message: string;
          };
          // Every answer is one the document describes.
          t.deepEqual(
            checker.response(method, '/api/posts/{id}/comments', response.status, json),
            [],
            `${method} ${path}`,
          );
          return { status: response.status, body: json };
        };
        const bodies = (response: { body: { data: Array<{ body: string }> } }) =>
          response.body.data.map((comment) => comment.body);

        const all = await call('GET', '/api/posts/1/comments?sort=id');
        t.is(all.status, 200);
        t.deepEqual(bodies(all), ['great post', 'meh', 'also great'], "the post's own, without the soft-deleted");
        t.like(all.body.pagination, { page: 1, total: 3 });
        t.deepEqual(bodies(await call('GET', '/api/posts/1/comments?filter[rating]=5&sort=-id')), [
          'also great',
          'great post',
        ]);
        t.deepEqual(bodies(await call('GET', '/api/posts/1/comments?search=GREAT&sort=id')), [
          'great post',
          'also great',
        ]);
        const paged = await call('GET', '/api/posts/1/comments?per_page=2&page=2&sort=id');
        t.deepEqual(bodies(paged), ['also great']);
        t.like(paged.body.pagination, { total: 3, pages: 2, has_prev: true, has_next: false });
        t.deepEqual(bodies(await call('GET', '/api/posts/1/comments?trashed=only')), ['deleted one']);
        t.deepEqual(bodies(await call('GET', '/api/posts/2/comments')), ['on the second']);
        const included = await call('GET', '/api/posts/2/comments?include=post');
        t.is(included.body.data[0].post.title, 'Second');
        const badSort = await call('GET', '/api/posts/1/comments?sort=nope');
        t.is(badSort.status, 422);
        t.truthy(badSort.body.errors?.sort);

        // A missing parent is a 404 whatever else the request says (a bad parameter too).
        for (const missing of [
          '/api/posts/99/comments',
          '/api/posts/3/comments',
          '/api/posts/abc/comments',
          '/api/posts/99/comments?sort=nope',
          '/api/posts/3/comments?filter[nope]=1',
        ]) {
          const response = await call('GET', missing);
          t.is(response.status, 404, missing);
          t.is(response.body.message, 'Post not found');
        }

        const created = await call('POST', '/api/posts/2/comments', { body: 'from the path', rating: 3 });
        t.is(created.status, 201, JSON.stringify(created.body));
        t.like(created.body.data, { body: 'from the path', rating: 3, post_id: 2 });
        t.is(
          (await call('POST', '/api/posts/2/comments', { body: 'same parent', post_id: 2 })).status,
          201,
          'the same post_id may be sent',
        );
        const other = await call('POST', '/api/posts/2/comments', { body: 'elsewhere', post_id: 1 });
        t.is(other.status, 422);
        t.deepEqual(other.body.errors, { post_id: ['is taken from the path (2); leave it out or send 2'] });
        const invalid = await call('POST', '/api/posts/2/comments', { rating: 9 });
        t.is(invalid.status, 422);
        t.deepEqual(Object.keys(invalid.body.errors ?? {}).sort(), ['body', 'rating']);
        for (const missing of ['/api/posts/99/comments', '/api/posts/3/comments']) {
          t.is((await call('POST', missing, { body: 'orphan' })).status, 404, missing);
        }
        t.deepEqual(
          (await app.db('comments').where('post_id', 2).orderBy('id').select('body')).map(
            (row: { body: string }) => row.body,
          ),
          ['on the second', 'from the path', 'same parent'],
          'nothing written for the refused requests',
        );

        // The document: valid OpenAPI 3.1; the create body leaves the parent's field to the path.
        t.true((await new Validator().validate(document as never)).valid);
        const path = document.paths['/api/posts/{id}/comments'];
        t.truthy(path.get.responses['404']);
        t.truthy(path.post.responses['404']);
        t.is(path.get.parameters[0].description, "the Post's id");
        t.regex(path.post.description, /`post_id` is taken from the path/);
        t.is(path.post.requestBody.content['application/json'].schema.$ref, '#/components/schemas/CommentCreateInPost');
        const createInPost = document.components.schemas.CommentCreateInPost;
        t.deepEqual(createInPost.required, ['body']);
        t.false('post_id' in createInPost.properties);
        t.deepEqual(checker.schema('CommentCreateInPost', { body: 'ok', rating: 2 }), []);
      } finally {
        await app.close();
      }
    },
  );
}
