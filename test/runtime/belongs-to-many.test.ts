// A belongsToMany relation through a pivot table (posts ⇄ tags through post_tag): `tag_ids` in
// create and update bodies sets the links (exactly those; a 422 naming ids that do not exist, with
// nothing written), PATCH without it leaves them, PUT without it clears them; `?include=tags` and
// `?include=posts` on both sides; `filter[tags]=1,2` (linked to any) — on every database, with the
// OpenAPI document describing it.
import Router from '@koa/router';
import test from 'ava';
import type { RouteFactory } from '../../runtime/app.js';
import { ResourceController } from '../../runtime/controllers/resource-controller.js';
import { modelTimestamps } from '../../runtime/database/schema.js';
import { parseFieldSpecs } from '../../runtime/fields/spec.js';
import { Model, type BaseRecord } from '../../runtime/models/base-model.js';
import type { Relation } from '../../runtime/models/relation.js';
import { BaseRepository } from '../../runtime/repositories/base-repository.js';
import { BaseService } from '../../runtime/services/base-service.js';
import { testDrivers } from '../helpers/databases.js';
import { startResourceApp } from '../helpers/resource-app.js';

const postFields = parseFieldSpecs(['title:string:required']);
const tagFields = parseFieldSpecs(['name:string:required']);
const Post = new Model<BaseRecord>({ name: 'Post', table: 'posts', fields: postFields });
const Tag = new Model<BaseRecord>({ name: 'Tag', table: 'tags', fields: tagFields });
const pivot = { table: 'post_tag', key: 'post_id', relatedKey: 'tag_id' };
const tags: Relation = { kind: 'belongsToMany', field: 'id', column: 'id', model: Tag, pivot };
const posts: Relation = {
  kind: 'belongsToMany',
  field: 'id',
  column: 'id',
  model: Post,
  pivot: { table: 'post_tag', key: 'tag_id', relatedKey: 'post_id' },
};

const routes: RouteFactory = ({ db }) => {
  const post = new ResourceController({
    db,
    model: Post,
    fields: postFields,
    service: new BaseService(new BaseRepository(db, Post)),
    relations: { tags },
  });
  const tag = new ResourceController({
    db,
    model: Tag,
    fields: tagFields,
    service: new BaseService(new BaseRepository(db, Tag)),
    relations: { posts },
  });
  return new Router({ prefix: '/api' })
    .get('posts.index', '/posts', post.index)
    .post('posts.store', '/posts', post.store)
    .get('posts.show', '/posts/:id', post.show)
    .put('posts.replace', '/posts/:id', post.replace)
    .patch('posts.update', '/posts/:id', post.update)
    .get('tags.show', '/tags/:id', tag.show);
};

for (const driver of testDrivers()) {
  test.serial(`${driver}: tag_ids links posts to tags; include and filter both ways`, async (t) => {
    const app = await startResourceApp({ driver, database: 'fastpy_belongs_to_many', app: { routes: [routes] } });
    try {
      for (const [table, column] of [
        ['posts', 'title'],
        ['tags', 'name'],
      ] as const)
        await app.db.schema.createTable(table, (builder) => {
          builder.increments('id');
          builder.string(column).notNullable();
          modelTimestamps(app.db, builder);
        });
      await app.db.schema.createTable('post_tag', (builder) => {
        builder.integer('post_id').unsigned().notNullable().references('id').inTable('posts').onDelete('CASCADE');
        builder.integer('tag_id').unsigned().notNullable().references('id').inTable('tags').onDelete('CASCADE');
        builder.primary(['post_id', 'tag_id']);
      });
      await app.db('tags').insert([{ name: 'node' }, { name: 'sql' }, { name: 'koa' }, { name: 'gone' }]);
      await app.db('tags').where('name', 'gone').update({ deleted_at: new Date() });
      const call = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(app.base + path, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as any };
      };
      const tagNames = async (id: number) =>
        ((await call('GET', `/api/posts/${id}?include=tags`)).body.data.tags as Array<{ name: string }>).map(
          (tag) => tag.name,
        );

      const created = await call('POST', '/api/posts', { title: 'First', tag_ids: [2, 1, 2] });
      t.is(created.status, 201, JSON.stringify(created.body));
      t.false('tag_ids' in created.body.data, 'a record holds no ids list');
      const first = created.body.data.id as number;
      t.deepEqual(await tagNames(first), ['node', 'sql'], 'oldest first, each once');

      // Ids that do not exist (or are soft-deleted): a 422 naming them, and nothing written.
      const missing = await call('POST', '/api/posts', { title: 'Second', tag_ids: [1, 4, 99] });
      t.is(missing.status, 422);
      t.deepEqual(missing.body.errors, { tag_ids: ['refers to tags records that do not exist (id = 4, 99)'] });
      t.is(Number((await app.db('posts').count({ n: '*' }).first())?.n), 1, 'no post written');
      for (const [value, message] of [
        ['1,2', /tag_ids must be a list of ids/],
        [[0], /tag_ids\[0\] must be a positive integer id, got 0/],
        [[1, '2'], /tag_ids\[1\] must be a positive integer id, got "2"/],
      ] as const) {
        const bad = await call('POST', '/api/posts', { title: 'Bad', tag_ids: value });
        t.is(bad.status, 422);
        t.regex(bad.body.errors.tag_ids[0], message);
      }

      const second = (await call('POST', '/api/posts', { title: 'Second', tag_ids: [3] })).body.data.id as number;
      await call('POST', '/api/posts', { title: 'Third' });
      t.is((await call('PATCH', `/api/posts/${first}`, { title: 'First, edited' })).status, 200);
      t.deepEqual(await tagNames(first), ['node', 'sql'], 'PATCH without tag_ids leaves the links');
      await call('PATCH', `/api/posts/${first}`, { tag_ids: [2, 3] });
      t.deepEqual(await tagNames(first), ['sql', 'koa'], 'exactly these');
      t.is((await call('PATCH', `/api/posts/${first}`, { tag_ids: [99] })).status, 422);
      t.deepEqual(await tagNames(first), ['sql', 'koa'], 'a refused change keeps them');

      const titles = async (query: string) =>
        ((await call('GET', `/api/posts?sort=id&${query}`)).body.data as Array<{ title: string }>).map(
          (post) => post.title,
        );
      t.deepEqual(await titles('filter[tags]=3'), ['First, edited', 'Second']);
      t.deepEqual(await titles('filter[tags]=1,2'), ['First, edited']);
      t.is((await call('GET', '/api/posts?filter[tags]=1,2')).body.pagination.total, 1, 'the count agrees');
      for (const query of ['filter[tags]=x', 'filter[tags][in]=1', 'filter[tags]=1,,2'])
        t.truthy((await call('GET', `/api/posts?${query}`)).body.errors?.[query.split('=')[0]!], query);

      const list = await call('GET', '/api/posts?sort=id&include=tags');
      t.deepEqual(
        (list.body.data as Array<{ tags: Array<{ id: number }> }>).map((post) => post.tags.map((tag) => tag.id)),
        [[2, 3], [3], []],
      );
      const koa = await call('GET', '/api/tags/3?include=posts');
      t.deepEqual(
        (koa.body.data.posts as Array<{ id: number }>).map((post) => post.id),
        [first, second],
        'the other side',
      );

      // A linked tag that is soft-deleted later leaves the include; PUT without tag_ids clears them.
      await app.db('tags').where('id', 2).update({ deleted_at: new Date() });
      t.deepEqual(await tagNames(first), ['koa']);
      await call('PUT', `/api/posts/${first}`, { title: 'Replaced' });
      t.deepEqual(await tagNames(first), []);
      t.is(Number((await app.db('post_tag').where('post_id', first).count({ n: '*' }).first())?.n), 0);

      const document = (await call('GET', '/openapi.json')).body;
      t.like(document.components.schemas.PostCreate.properties.tag_ids, {
        type: 'array',
        items: { type: 'integer', minimum: 1 },
      });
      t.truthy(document.components.schemas.PostUpdate.properties.tag_ids);
      t.false('tag_ids' in document.components.schemas.Post.properties);
      t.like(document.components.schemas.Post.properties.tags, { type: 'array' });
      t.true(
        (document.paths['/api/posts'].get.parameters as Array<{ name: string }>).some(
          (parameter) => parameter.name === 'filter[tags]',
        ),
      );
    } finally {
      await app.close();
    }
  });
}
