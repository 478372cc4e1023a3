// The base repository on every database: soft deletes filtered by default, with-trashed and
// only-trashed views, restore, force delete, touch, pagination, and driver errors as exceptions.
import test from 'ava';
import type { Knex } from 'knex';
import {
  type BaseRecord,
  BaseRepository,
  BaseService,
  Model,
  modelTimestamps,
  User,
} from '../../../runtime/database/index.js';
import { ConflictException, NotFoundException } from '../../../runtime/http.js';
import { uniqueTable } from '../../../runtime/testing/kit.js';
import { onEveryDatabase } from '../../helpers/framework-suite.js';

onEveryDatabase('api_repository', ({ it, ready }) => {
  interface Widget extends BaseRecord {
    code: string;
    active: boolean;
    price: string | null;
  }

  const table = uniqueTable('widgets');
  const Widget = new Model<Widget>({ name: 'Widget', table, casts: { active: 'boolean', price: 'decimal:2' } });
  let db: Knex;
  let widgets: BaseRepository<Widget>;

  test.before(async () => {
    db = await ready();
    await db.schema.createTable(table, (t) => {
      t.increments('id');
      t.string('code', 50).notNullable().unique();
      t.boolean('active').notNullable().defaultTo(true);
      t.decimal('price', 10, 2).nullable();
      modelTimestamps(db, t);
    });
    widgets = new BaseRepository(db, Widget);
  });

  test.after.always(async () => {
    await db.schema.dropTableIfExists(table);
  });

  let counter = 0;
  const code = () => `w-${++counter}-${Date.now()}`;

  it('create returns the record with id, timestamps and the same JSON types on every driver', async (t) => {
    const widget = await widgets.create({ code: 'alpha', active: false, price: '19.90' });
    t.true(Number.isInteger(widget.id));
    t.is(widget.active, false);
    t.is(widget.price, '19.90');
    t.regex(widget.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    t.is(widget.created_at, widget.updated_at);
    t.is(widget.deleted_at, null);
    t.true(Math.abs(Date.parse(widget.created_at) - Date.now()) < 60_000);
  });

  it('soft delete hides the record from default queries; restore brings it back', async (t) => {
    const widget = await widgets.create({ code: code() });
    const deleted = await widgets.softDelete(widget.id);
    t.true(Widget.isDeleted(deleted));
    t.is(await widgets.find(widget.id), undefined);
    await t.throwsAsync(widgets.findOrFail(widget.id), { instanceOf: NotFoundException, message: 'Widget not found' });
    t.is((await widgets.withTrashed().find(widget.id))?.id, widget.id);
    t.is((await widgets.onlyTrashed().find(widget.id))?.id, widget.id);
    t.false((await widgets.all()).some((row) => row.id === widget.id));

    const restored = await widgets.restore(widget.id);
    t.false(Widget.isDeleted(restored));
    t.is((await widgets.find(widget.id))?.id, widget.id);
    t.is(await widgets.onlyTrashed().find(widget.id), undefined);
  });

  it('restoring a record that is not deleted is a 404', async (t) => {
    const widget = await widgets.create({ code: code() });
    await t.throwsAsync(widgets.restore(widget.id), { instanceOf: NotFoundException });
  });

  it('updating or deleting a soft-deleted record is a 404', async (t) => {
    const widget = await widgets.create({ code: code() });
    await widgets.softDelete(widget.id);
    await t.throwsAsync(widgets.update(widget.id, { active: false }), { instanceOf: NotFoundException });
    await t.throwsAsync(widgets.softDelete(widget.id), { instanceOf: NotFoundException });
  });

  it('force delete removes the row for good, deleted or not', async (t) => {
    const live = await widgets.create({ code: code() });
    const trashed = await widgets.create({ code: code() });
    await widgets.softDelete(trashed.id);
    await widgets.forceDelete(live.id);
    await widgets.forceDelete(trashed.id);
    t.is(await widgets.withTrashed().find(live.id), undefined);
    t.is(await widgets.withTrashed().find(trashed.id), undefined);
  });

  it('update changes fields and updated_at; touch changes only updated_at', async (t) => {
    const widget = await widgets.create({ code: code(), active: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const updated = await widgets.update(widget.id, { active: false });
    t.is(updated.active, false);
    t.is(updated.created_at, widget.created_at);
    t.true(Date.parse(updated.updated_at) > Date.parse(widget.updated_at));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const touched = await widgets.touch(widget.id);
    t.true(Date.parse(touched.updated_at) > Date.parse(updated.updated_at));
    t.is(touched.active, false);
  });

  it('a unique clash is a ConflictException naming the field', async (t) => {
    const taken = code();
    await widgets.create({ code: taken });
    const error = await t.throwsAsync(widgets.create({ code: taken }), { instanceOf: ConflictException });
    t.deepEqual(error?.errors, { code: ['has already been taken'] });
  });

  it('paginate counts and pages live rows only, in a stable order', async (t) => {
    const prefix = `page-${Date.now()}`;
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await widgets.create({ code: `${prefix}-${i}` }));
    await widgets.softDelete(created[0]!.id);
    const where = (query: Knex.QueryBuilder) => void query.where('code', 'like', `${prefix}-%`);
    const first = await widgets.paginate({ page: 1, perPage: 2, where });
    t.deepEqual(first.pagination, { page: 1, per_page: 2, total: 4, pages: 2, has_next: true, has_prev: false });
    t.deepEqual(
      first.items.map((item) => item.code),
      [`${prefix}-1`, `${prefix}-2`],
    );
    const second = await widgets.paginate({
      page: 2,
      perPage: 2,
      where,
      sort: [{ column: 'code', direction: 'desc' }],
    });
    t.deepEqual(
      second.items.map((item) => item.code),
      [`${prefix}-2`, `${prefix}-1`],
    );
    t.is((await widgets.onlyTrashed().paginate({ page: 1, perPage: 10, where })).pagination.total, 1);
    t.is((await widgets.withTrashed().paginate({ page: 1, perPage: 10, where })).pagination.total, 5);
  });

  it('the base service delegates and 404s like the repository', async (t) => {
    const service = new BaseService(widgets);
    const widget = await service.create({ code: code() });
    t.is((await service.get(widget.id)).id, widget.id);
    await service.delete(widget.id);
    await t.throwsAsync(service.get(widget.id), { instanceOf: NotFoundException });
    t.is((await service.restore(widget.id)).deleted_at, null);
  });

  it('the users table exists after migrating, and the User model hides the password hash', async (t) => {
    const users = new BaseRepository(db, User);
    const email = `user-${Date.now()}@example.com`;
    const user = await users.create({ name: 'Ada', email, password_hash: 'not-a-real-hash' });
    t.is(user.is_active, true);
    t.is(user.email_verified_at, null);
    t.false('password_hash' in User.serialize(user));
    await t.throwsAsync(users.create({ name: 'Other', email, password_hash: 'x' }), { instanceOf: ConflictException });
    await users.forceDelete(user.id);
  });
});
