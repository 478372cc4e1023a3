// A hasMany relation (`?include=comments` on a post): one query for every record of the response,
// the related records oldest first, soft-deleted ones left out, an empty list where there are none,
// a protected related resource only with the token — on every database — and the OpenAPI document
// describes the include as a list.
import Router from '@koa/router';
import test from 'ava';
import type { RouteFactory } from '../../runtime/app.js';
import { ResourceController, type Relation } from '../../runtime/controllers/resource-controller.js';
import { modelTimestamps } from '../../runtime/database/schema.js';
import { parseFieldSpecs } from '../../runtime/fields/spec.js';
import { Model, type BaseRecord } from '../../runtime/models/base-model.js';
import { BaseRepository } from '../../runtime/repositories/base-repository.js';
import { authRoutes } from '../../runtime/routes/auth.js';
import { BaseService } from '../../runtime/services/base-service.js';
import { testDrivers } from '../helpers/databases.js';
import { startResourceApp } from '../helpers/resource-app.js';

const postFields = parseFieldSpecs(['title:string:required']);
const commentFields = parseFieldSpecs(['body:text:required', 'post_id:integer:required,foreign:posts.id']);
const noteFields = parseFieldSpecs(['text:text:required', 'post_id:integer:required,foreign:posts.id']);
const Post = new Model<BaseRecord>({ name: 'Post', table: 'posts', fields: postFields });
const Comment = new Model<BaseRecord>({ name: 'Comment', table: 'comments', fields: commentFields });
// A resource behind the token: its records are included only with it.
const Note = new Model<BaseRecord>({ name: 'Note', table: 'notes', fields: noteFields, access: 'bearer' });

const relations: Record<string, Relation> = {
  comments: { kind: 'hasMany', field: 'id', column: 'post_id', model: Comment },
  notes: { kind: 'hasMany', field: 'id', column: 'post_id', model: Note },
};

const postRoutes: RouteFactory = ({ db, auth }) => {
  const controller = new ResourceController({
    db,
    auth,
    model: Post,
    fields: postFields,
    service: new BaseService(new BaseRepository(db, Post)),
    relations,
  });
  return new Router({ prefix: '/api/posts' })
    .get('posts.index', '/', controller.index)
    .get('posts.show', '/:id', controller.show);
};

for (const driver of testDrivers()) {
  test.serial(
    `${driver}: ?include=comments lists each post's comments, oldest first, without the soft-deleted`,
    async (t) => {
      const app = await startResourceApp({
        driver,
        database: 'fastpy_has_many',
        app: { routes: [authRoutes, postRoutes] },
      });
      try {
        await app.db.schema.createTable('posts', (table) => {
          table.increments('id');
          table.string('title').notNullable();
          modelTimestamps(app.db, table);
        });
        for (const [name, text] of [
          ['comments', 'body'],
          ['notes', 'text'],
        ] as const) {
          await app.db.schema.createTable(name, (table) => {
            table.increments('id');
            table.text(text).notNullable();
            table.integer('post_id').unsigned().notNullable().references('id').inTable('posts');
            modelTimestamps(app.db, table);
          });
        }
        await app.db('posts').insert([{ title: 'First' }, { title: 'Second' }, { title: 'Quiet' }]);
        await app.db('comments').insert([
          { body: 'a', post_id: 1 },
          { body: 'b', post_id: 2 },
          { body: 'c', post_id: 1 },
          { body: 'gone', post_id: 1, deleted_at: new Date() },
        ]);
        await app.db('notes').insert({ text: 'private', post_id: 1 });
        const get = async (path: string, token?: string) => {
          const response = await fetch(app.base + path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
          return { status: response.status, body: (await response.json()) as { data: any; message?: string } };
        };

        const show = await get('/api/posts/1?include=comments');
        t.is(show.status, 200, JSON.stringify(show.body));
        t.deepEqual(
          show.body.data.comments.map((comment: { body: string; post_id: number }) => [comment.body, comment.post_id]),
          [
            ['a', 1],
            ['c', 1],
          ],
        );
        t.deepEqual(
          (await get('/api/posts/3?include=comments')).body.data.comments,
          [],
          'an empty list where there are none',
        );
        t.false('comments' in (await get('/api/posts/1')).body.data, 'only when asked for');

        const list = await get('/api/posts?include=comments&sort=id');
        t.is(list.status, 200);
        t.deepEqual(
          list.body.data.map((post: { title: string; comments: Array<{ body: string }> }) => [
            post.title,
            post.comments.map((comment) => comment.body),
          ]),
          [
            ['First', ['a', 'c']],
            ['Second', ['b']],
            ['Quiet', []],
          ],
        );

        const anonymous = await get('/api/posts/1?include=notes');
        t.is(anonymous.status, 401);
        t.regex(String(anonymous.body.message), /Including notes needs a bearer token/);
        const withToken = await get('/api/posts/1?include=notes,comments', await app.token());
        t.is(withToken.status, 200);
        t.deepEqual(
          withToken.body.data.notes.map((note: { text: string }) => note.text),
          ['private'],
        );
        t.deepEqual(Object.keys(withToken.body.data).slice(-2), ['notes', 'comments']);

        const document = (await get('/openapi.json')) as unknown as {
          body: { components: { schemas: Record<string, any> } };
        };
        t.like(document.body.components.schemas.Post.properties.comments, {
          type: 'array',
          items: { $ref: '#/components/schemas/Comment' },
        });
      } finally {
        await app.close();
      }
    },
  );
}
