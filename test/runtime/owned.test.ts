// Owned records (Model.owner): a note belongs to the user who created it — the owner comes from
// the token, never from a body; every route, list count, include and nested route shows a user only
// their own notes (another's is a 404, not a 403); an admin sees and changes everyone's; code that
// names no actor sees all — on every database, and the OpenAPI document says so.
import Router from '@koa/router';
import test from 'ava';
import type { Knex } from 'knex';
import type { RouteFactory } from '../../runtime/app.js';
import { requireAuth } from '../../runtime/auth/require-auth.js';
import { ResourceController } from '../../runtime/controllers/resource-controller.js';
import { defineFactory, type FactoryBuilder } from '../../runtime/factories/factory.js';
import { userFactory } from '../../runtime/factories/user-factory.js';
import { modelTimestamps } from '../../runtime/database/schema.js';
import { parseFieldSpecs } from '../../runtime/fields/spec.js';
import { Model, type BaseRecord } from '../../runtime/models/base-model.js';
import { BaseRepository } from '../../runtime/repositories/base-repository.js';
import { authRoutes } from '../../runtime/routes/auth.js';
import { BaseService } from '../../runtime/services/base-service.js';
import { testDrivers } from '../helpers/databases.js';
import { startResourceApp } from '../helpers/resource-app.js';

const postFields = parseFieldSpecs(['title:string:required']);
const noteFields = parseFieldSpecs(['text:string:required', 'post_id:integer:nullable,foreign:posts.id']);
const Post = new Model<BaseRecord>({ name: 'Post', table: 'posts', fields: postFields });
const Note = new Model<BaseRecord & { text: string; user_id: number }>({
  name: 'Note',
  table: 'notes',
  fields: noteFields,
  owner: 'user_id',
  access: 'bearer',
});

const noteController = (db: Knex) =>
  new ResourceController({
    db,
    model: Note,
    fields: noteFields,
    service: new BaseService(new BaseRepository(db, Note)),
  });

const routes: RouteFactory = ({ db, auth }) => {
  const notes = noteController(db);
  const nested = noteController(db).nested(Post, 'post_id');
  const posts = new ResourceController({
    db,
    auth,
    model: Post,
    fields: postFields,
    service: new BaseService(new BaseRepository(db, Post)),
    relations: { notes: { kind: 'hasMany', field: 'id', column: 'post_id', model: Note } },
  });
  const guard = requireAuth(auth);
  return new Router({ prefix: '/api' })
    .post('posts.store', '/posts', posts.store)
    .get('posts.show', '/posts/:id', posts.show)
    .get('posts.notes.index', '/posts/:id/notes', guard, nested.index)
    .post('posts.notes.store', '/posts/:id/notes', guard, nested.store)
    .get('notes.index', '/notes', guard, notes.index)
    .post('notes.store', '/notes', guard, notes.store)
    .get('notes.show', '/notes/:id', guard, notes.show)
    .patch('notes.update', '/notes/:id', guard, notes.update)
    .put('notes.replace', '/notes/:id', guard, notes.replace)
    .delete('notes.destroy', '/notes/:id', guard, notes.destroy)
    .post('notes.restore', '/notes/:id/restore', guard, notes.restore)
    .delete('notes.forceDestroy', '/notes/:id/force', guard, notes.forceDestroy);
};

test('an owner that is also one of the fields is refused when the model is made', (t) => {
  t.throws(
    () => new Model({ name: 'Note', table: 'notes', fields: parseFieldSpecs(['user_id:integer']), owner: 'user_id' }),
    {
      message: /owner "user_id" is set from the signed-in user, so it cannot also be one of its fields/,
    },
  );
  t.deepEqual(Note.references, {
    post_id: { table: 'posts', column: 'id' },
    user_id: { table: 'users', column: 'id' },
  });
  t.is(Note.casts.user_id, 'integer');
});

for (const driver of testDrivers()) {
  test.serial(`${driver}: each user reaches only their own notes; an admin reaches all`, async (t) => {
    const app = await startResourceApp({ driver, database: 'fastpy_owned', app: { routes: [authRoutes, routes] } });
    try {
      await app.db.schema.createTable('posts', (table) => {
        table.increments('id');
        table.string('title').notNullable();
        modelTimestamps(app.db, table);
      });
      await app.db.schema.createTable('notes', (table) => {
        table.increments('id');
        table.string('text').notNullable();
        table.integer('post_id').unsigned().nullable().references('id').inTable('posts');
        table.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
        modelTimestamps(app.db, table);
      });
      const alice = await app.token('alice@example.com');
      const bob = await app.token('bob@example.com');
      const ids = Object.fromEntries(
        (await app.db('users').select('id', 'email')).map((row: { id: number; email: string }) => [row.email, row.id]),
      );
      const { call } = app;

      const post = (await call('POST', '/api/posts', undefined, { title: 'Shared' })).body.data;
      const sent = await call('POST', '/api/notes', alice, { text: 'mine', user_id: ids['bob@example.com'] });
      t.is(sent.status, 422, 'the owner is never taken from a body');
      t.deepEqual(sent.body.errors, {
        user_id: ["user_id is set from the signed-in user's token and cannot be written"],
      });
      const created = await call('POST', '/api/notes', alice, { text: 'Alice 1', post_id: post.id });
      t.is(created.status, 201, JSON.stringify(created.body));
      t.is(created.body.data.user_id, ids['alice@example.com']);
      await call('POST', `/api/posts/${post.id}/notes`, alice, { text: 'Alice 2' });
      const bobs = (await call('POST', '/api/notes', bob, { text: 'Bob 1', post_id: post.id })).body.data;
      t.is((await call('GET', '/api/notes', undefined)).status, 401);

      const texts = (response: { body: { data: Array<{ text: string }> } }) =>
        response.body.data.map((note) => note.text);
      const aliceList = await call('GET', '/api/notes?sort=id', alice);
      t.deepEqual(texts(aliceList), ['Alice 1', 'Alice 2']);
      t.is(aliceList.body.pagination.total, 2, 'the count is of their own');
      t.deepEqual(texts(await call('GET', '/api/notes', bob)), ['Bob 1']);
      t.deepEqual(texts(await call('GET', `/api/posts/${post.id}/notes?sort=id`, bob)), ['Bob 1'], 'nested: their own');
      t.deepEqual(
        (await call('GET', `/api/posts/${post.id}?include=notes`, alice)).body.data.notes.map(
          (note: { text: string }) => note.text,
        ),
        ['Alice 1', 'Alice 2'],
        'an include: their own',
      );
      t.is(
        (await call('GET', `/api/posts/${post.id}?include=notes`)).status,
        401,
        'an include of owned records needs the token',
      );

      // Another user's note is a 404 on every route, as a missing one is.
      for (const [method, path, body] of [
        ['GET', `/api/notes/${bobs.id}`],
        ['PATCH', `/api/notes/${bobs.id}`, { text: 'taken' }],
        ['PUT', `/api/notes/${bobs.id}`, { text: 'taken' }],
        ['DELETE', `/api/notes/${bobs.id}`],
        ['POST', `/api/notes/${bobs.id}/restore`],
        ['DELETE', `/api/notes/${bobs.id}/force`],
      ] as Array<[string, string, unknown?]>) {
        const response = await call(method, path, alice, body);
        t.is(response.status, 404, `${method} ${path}`);
        t.is(response.body.message, 'Note not found');
      }
      t.like(await app.db('notes').where('id', bobs.id).first(), { text: 'Bob 1', deleted_at: null });
      const updated = await call('PATCH', `/api/notes/${created.body.data.id}`, alice, { text: 'Alice 1, edited' });
      t.is(updated.body.data.text, 'Alice 1, edited');
      t.is((await call('PATCH', `/api/notes/${created.body.data.id}`, alice, { user_id: 1 })).status, 422);

      // An admin sees and changes everyone's, and what they create is theirs.
      await app.db('users').where('email', 'bob@example.com').update({ role: 'admin' });
      t.deepEqual(texts(await call('GET', '/api/notes?sort=id', bob)), ['Alice 1, edited', 'Alice 2', 'Bob 1']);
      t.is((await call('PATCH', `/api/notes/${created.body.data.id}`, bob, { text: 'moderated' })).status, 200);
      t.is((await call('GET', `/api/notes/${created.body.data.id}`, alice)).body.data.text, 'moderated');
      t.is((await call('POST', '/api/notes', bob, { text: 'Admin note' })).body.data.user_id, ids['bob@example.com']);
      // An admin lists one user's notes by the owner; a user's filter only narrows their own.
      const alices = await call('GET', `/api/notes?filter[user_id]=${ids['alice@example.com']}&sort=-id`, bob);
      t.deepEqual(texts(alices), ['Alice 2', 'moderated']);
      t.is(alices.body.pagination.total, 2);
      t.deepEqual(
        texts(
          await call(
            'GET',
            `/api/notes?filter[user_id][in]=${ids['alice@example.com']},${ids['bob@example.com']}&sort=user_id,id`,
            bob,
          ),
        ),
        ids['alice@example.com']! < ids['bob@example.com']!
          ? ['moderated', 'Alice 2', 'Bob 1', 'Admin note']
          : ['Bob 1', 'Admin note', 'moderated', 'Alice 2'],
      );
      const peek = await call('GET', `/api/notes?filter[user_id]=${ids['bob@example.com']}`, alice);
      t.is(peek.status, 200);
      t.deepEqual(texts(peek), [], "another user's id finds nothing: the scope stays");
      t.is(peek.body.pagination.total, 0);
      const bad = await call('GET', '/api/notes?filter[user_id]=x', bob);
      t.is(bad.status, 422);
      t.deepEqual(Object.keys(bad.body.errors), ['filter[user_id]']);

      // Code that names no actor sees every note; one that names a user sees theirs.
      const service = new BaseService(new BaseRepository(app.db, Note));
      t.is((await service.list({ page: 1, perPage: 10 })).pagination.total, 4);
      const forAlice = service.for({ id: ids['alice@example.com']!, role: 'user' });
      t.is((await forAlice.list({ page: 1, perPage: 10 })).pagination.total, 2);
      t.is((await service.for(null).list({ page: 1, perPage: 10 })).pagination.total, 0, 'nobody signed in: none');
      await t.throwsAsync(service.for(null).create({ text: 'x' }), {
        message: /Note records belong to a user: sign in/,
      });

      // A factory gives each note an owner (a user of its own), and its bodies never hold one.
      const factory = defineFactory({
        model: Note,
        fields: noteFields,
        parents: () => ({ users: userFactory as FactoryBuilder }),
      })(app.db);
      t.false('user_id' in (await factory.build({ post_id: null })));
      const made = await factory.create({ post_id: null });
      t.false(Object.values(ids).includes(made.user_id));
      t.truthy(await app.db('users').where('id', made.user_id).first());

      const document = (await call('GET', '/openapi.json')).body;
      t.deepEqual(document.components.schemas.Note.properties.user_id.type, 'integer');
      t.true(document.components.schemas.Note.required.includes('user_id'));
      t.false('user_id' in document.components.schemas.NoteCreate.properties);
      const listParameters = (document.paths['/api/notes'].get.parameters as Array<{ name: string }>).map(
        (parameter) => parameter.name,
      );
      t.true(listParameters.includes('filter[user_id]') && listParameters.includes('filter[user_id][in]'));
      t.regex(
        document.paths['/api/notes/{id}'].get.description,
        /each user reaches only their own \(another's is a 404\)/,
      );
    } finally {
      await app.close();
    }
  });
}
