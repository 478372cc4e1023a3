// Links to an owned resource follow its owners (issue 18, "authorization follows the records"): a
// public label's note_ids may name only the signed-in user's notes — sending them needs the token,
// another user's note is as missing as one that is not there — and changing a label's links
// changes only the caller's: another user's links to their own notes stay. On every database.
import Router from '@koa/router';
import test from 'ava';
import { appRouters, appServices, type RouteFactory } from '../../runtime/app.js';
import { requireAuth } from '../../runtime/auth/require-auth.js';
import { ResourceController } from '../../runtime/controllers/resource-controller.js';
import { modelTimestamps } from '../../runtime/database/schema.js';
import { parseFieldSpecs } from '../../runtime/fields/spec.js';
import { Model, type BaseRecord } from '../../runtime/models/base-model.js';
import type { Relation } from '../../runtime/models/relation.js';
import { BaseRepository } from '../../runtime/repositories/base-repository.js';
import { openApiDocument } from '../../runtime/openapi/document.js';
import { authRoutes } from '../../runtime/routes/auth.js';
import { BaseService } from '../../runtime/services/base-service.js';
import { createLogger } from '../../runtime/utils/logger.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { testDrivers } from '../helpers/databases.js';
import { startResourceApp } from '../helpers/resource-app.js';

const labelFields = parseFieldSpecs(['name:string:required']);
const noteFields = parseFieldSpecs(['text:string:required']);
const Label = new Model<BaseRecord>({ name: 'Label', table: 'labels', fields: labelFields });
const Note = new Model<BaseRecord>({
  name: 'Note',
  table: 'notes',
  fields: noteFields,
  owner: 'user_id',
  access: 'bearer',
});
const notes: Relation = {
  kind: 'belongsToMany',
  field: 'id',
  column: 'id',
  model: Note,
  pivot: { table: 'label_note', key: 'label_id', relatedKey: 'note_id' },
};

const routes: RouteFactory = ({ db, auth }) => {
  const labels = new ResourceController({
    db,
    auth,
    model: Label,
    fields: labelFields,
    service: new BaseService(new BaseRepository(db, Label)),
    relations: { notes },
  });
  const noteController = new ResourceController({
    db,
    model: Note,
    fields: noteFields,
    service: new BaseService(new BaseRepository(db, Note)),
  });
  return new Router({ prefix: '/api' })
    .post('labels.store', '/labels', labels.store)
    .get('labels.show', '/labels/:id', labels.show)
    .put('labels.replace', '/labels/:id', labels.replace)
    .patch('labels.update', '/labels/:id', labels.update)
    .post('notes.store', '/notes', requireAuth(auth), noteController.store);
};

for (const driver of testDrivers()) {
  test.serial(`${driver}: a label links only the caller's notes, and changes only the caller's links`, async (t) => {
    const app = await startResourceApp({
      driver,
      database: 'fastpy_owned_links',
      app: { routes: [authRoutes, routes] },
    });
    try {
      await app.db.schema.createTable('labels', (table) => {
        table.increments('id');
        table.string('name').notNullable();
        modelTimestamps(app.db, table);
      });
      await app.db.schema.createTable('notes', (table) => {
        table.increments('id');
        table.string('text').notNullable();
        table.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
        modelTimestamps(app.db, table);
      });
      await app.db.schema.createTable('label_note', (table) => {
        table.integer('label_id').unsigned().notNullable().references('id').inTable('labels').onDelete('CASCADE');
        table.integer('note_id').unsigned().notNullable().references('id').inTable('notes').onDelete('CASCADE');
        table.primary(['label_id', 'note_id']);
      });
      const alice = await app.token('links-alice@example.com');
      const bob = await app.token('links-bob@example.com');
      const { call } = app;
      const note = async (token: string, text: string) =>
        (await call('POST', '/api/notes', token, { text })).body.data.id as number;
      const [a1, a2, b1] = [await note(alice, 'Alice 1'), await note(alice, 'Alice 2'), await note(bob, 'Bob 1')];
      const linked = async (id: number) =>
        (await app.db('label_note').where({ label_id: id }).orderBy('note_id').select('note_id')).map((row) =>
          Number(row.note_id),
        );

      // Without a token: a label without note_ids is made; sending them is a 401.
      const open = await call('POST', '/api/labels', undefined, { name: 'open' });
      t.is(open.status, 201, JSON.stringify(open.body));
      const anonymous = await call('POST', '/api/labels', undefined, { name: 'x', note_ids: [a1] });
      t.is(anonymous.status, 401, JSON.stringify(anonymous.body));
      t.is(anonymous.body.message, 'Setting note_ids needs a bearer token');

      // Another user's note is as missing as one that is not there.
      const theirs = await call('POST', '/api/labels', alice, { name: 'x', note_ids: [a1, b1] });
      t.is(theirs.status, 422, JSON.stringify(theirs.body));
      t.deepEqual(theirs.body.errors, { note_ids: [`refers to notes records that do not exist (id = ${b1})`] });

      const label = await call('POST', '/api/labels', alice, { name: 'work', note_ids: [a1, a2] });
      t.is(label.status, 201, JSON.stringify(label.body));
      const id = label.body.data.id as number;
      t.is((await call('PATCH', `/api/labels/${id}`, bob, { note_ids: [b1] })).status, 200);
      t.deepEqual(await linked(id), [a1, a2, b1], "Bob's links are added; Alice's stay");
      const bobSees = await call('GET', `/api/labels/${id}?include=notes`, bob);
      t.deepEqual(
        bobSees.body.data.notes.map((item: { id: number }) => item.id),
        [b1],
        'each sees their own links',
      );
      t.is((await call('PATCH', `/api/labels/${id}`, alice, { note_ids: [a2] })).status, 200);
      t.deepEqual(await linked(id), [a2, b1], 'Alice dropped her own link only');
      // A replace without note_ids by a client without a token leaves them all as they are.
      t.is((await call('PUT', `/api/labels/${id}`, undefined, { name: 'renamed' })).status, 200);
      t.deepEqual(await linked(id), [a2, b1]);

      // The OpenAPI document says a write may carry the token, and that note_ids needs it.
      if (driver !== 'sqlite') return;
      const services = appServices({ settings: app.settings, db: app.db, logger: createLogger({ level: 'silent' }) });
      const document = openApiDocument(appRouters(services, [routes]), { title: 't', version: '1' }) as {
        paths: Record<string, Record<string, any>>;
        components: { schemas: Record<string, any> };
      };
      const result = await new Validator().validate(document);
      t.true(result.valid, JSON.stringify(result.errors, null, 2));
      for (const operation of [
        document.paths['/api/labels']!.post,
        document.paths['/api/labels/{id}']!.put,
        document.paths['/api/labels/{id}']!.patch,
      ]) {
        t.deepEqual(operation.security, [{}, { bearer: [] }, { oauth2: [] }]);
        t.truthy(operation.responses['401']);
      }
      for (const schema of ['LabelCreate', 'LabelUpdate'])
        t.regex(
          document.components.schemas[schema].properties.note_ids.description,
          /Sending it needs a bearer token \(401 without\)/,
        );
    } finally {
      await app.close();
    }
  });
}
