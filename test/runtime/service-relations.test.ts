// Relations live in the data layer: BaseService checks a write's foreign keys and loads includes
// (through BaseRepository), so a service called from a job or a console task gets the same 422s as
// the API, and a service that overrides `include` changes what `?include=` returns — on every database.
import Router from '@koa/router';
import test from 'ava';
import type { RouteFactory } from '../../runtime/app.js';
import { ResourceController } from '../../runtime/controllers/resource-controller.js';
import { modelTimestamps } from '../../runtime/database/schema.js';
import { parseFieldSpecs } from '../../runtime/fields/spec.js';
import { Model, type BaseRecord } from '../../runtime/models/base-model.js';
import type { Included, Relation } from '../../runtime/models/relation.js';
import { BaseRepository } from '../../runtime/repositories/base-repository.js';
import { BaseService } from '../../runtime/services/base-service.js';
import { ValidationException } from '../../runtime/utils/exceptions.js';
import { testDrivers } from '../helpers/databases.js';
import { startResourceApp } from '../helpers/resource-app.js';

const postFields = parseFieldSpecs(['title:string:required']);
const commentFields = parseFieldSpecs([
  'body:text:required',
  'post_id:integer:required,foreign:posts.id',
  'reply_to_id:integer:nullable,foreign:comments.id',
]);
const Post = new Model<BaseRecord>({ name: 'Post', table: 'posts', fields: postFields });
const Comment = new Model<BaseRecord & { body: string; post_id: number }>({
  name: 'Comment',
  table: 'comments',
  fields: commentFields,
});

/** Leaves comments marked "[hidden]" out of every include: an override the controller must go through. */
class PostService extends BaseService<BaseRecord> {
  override async include(records: readonly BaseRecord[], relations: Readonly<Record<string, Relation>>) {
    const included: Included[] = await super.include(records, relations);
    return included.map((one) =>
      'comments' in one
        ? {
            ...one,
            comments: (one.comments as Array<BaseRecord & { body: string }>).filter(
              (comment) => !comment.body.startsWith('[hidden]'),
            ),
          }
        : one,
    );
  }
}

const postRoutes: RouteFactory = ({ db }) => {
  const controller = new ResourceController({
    db,
    model: Post,
    fields: postFields,
    service: new PostService(new BaseRepository(db, Post)),
    relations: { comments: { kind: 'hasMany', field: 'id', column: 'post_id', model: Comment } },
  });
  return new Router({ prefix: '/api/posts' }).get('posts.show', '/:id', controller.show);
};

for (const driver of testDrivers()) {
  test.serial(`${driver}: the service checks foreign keys and loads includes, for the API and for code`, async (t) => {
    const app = await startResourceApp({
      driver,
      database: 'fastpy_service_relations',
      app: { routes: [postRoutes] },
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
        table.integer('post_id').unsigned().notNullable().references('id').inTable('posts');
        table.integer('reply_to_id').unsigned().nullable().references('id').inTable('comments');
        modelTimestamps(app.db, table);
      });
      const posts = new BaseService(new BaseRepository(app.db, Post));
      const comments = new BaseService(new BaseRepository(app.db, Comment));
      const live = await posts.create({ title: 'Live' });
      const gone = await posts.create({ title: 'Gone' });
      await posts.delete(gone.id);
      t.deepEqual(Comment.references, {
        post_id: { table: 'posts', column: 'id' },
        reply_to_id: { table: 'comments', column: 'id' },
      });

      // Straight through the service, as a job or a console task would call it.
      const missing = await t.throwsAsync(comments.create({ body: 'x', post_id: 999, reply_to_id: 998 }), {
        instanceOf: ValidationException,
      });
      t.deepEqual(
        { ...missing.errors },
        {
          post_id: ['refers to a posts record that does not exist (id = 999)'],
          reply_to_id: ['refers to a comments record that does not exist (id = 998)'],
        },
      );
      const trashed = await t.throwsAsync(comments.create({ body: 'x', post_id: gone.id }), {
        instanceOf: ValidationException,
      });
      t.deepEqual(
        { ...trashed.errors },
        { post_id: [`refers to a posts record that does not exist (id = ${gone.id})`] },
        'a soft-deleted record counts as missing',
      );
      const first = await comments.create({ body: 'First', post_id: live.id });
      await comments.create({ body: '[hidden] Second', post_id: live.id, reply_to_id: first.id });
      await t.throwsAsync(comments.update(first.id, { post_id: gone.id }), { instanceOf: ValidationException });
      t.is((await comments.update(first.id, { body: 'First, edited' })).body, 'First, edited');
      t.is(
        await app
          .db('comments')
          .where('post_id', gone.id)
          .count({ n: '*' })
          .first()
          .then((row) => Number(row?.n)),
        0,
      );

      // Loading: a belongsTo whose record is soft-deleted is null; the list keeps the order asked.
      const [withParent] = await comments.include([first], {
        post: { field: 'post_id', column: 'id', model: Post },
      });
      t.is((withParent!.post as BaseRecord & { title: string }).title, 'Live');
      await app.db('posts').where('id', live.id).update({ deleted_at: new Date() });
      t.deepEqual(await comments.include([first], { post: { field: 'post_id', column: 'id', model: Post } }), [
        { post: null },
      ]);
      await app.db('posts').where('id', live.id).update({ deleted_at: null });

      // The API's include goes through the (overridden) service.
      const response = await fetch(`${app.base}/api/posts/${live.id}?include=comments`);
      const body = (await response.json()) as { data: { comments: Array<{ body: string }> } };
      t.is(response.status, 200, JSON.stringify(body));
      t.deepEqual(
        body.data.comments.map((comment) => comment.body),
        ['First, edited'],
      );
    } finally {
      await app.close();
    }
  });
}
