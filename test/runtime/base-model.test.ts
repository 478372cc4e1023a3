import test from 'ava';
import { SqliteDialect, PostgresDialect } from '../../runtime/database/dialects.js';
import { Model, toIsoDate, toIsoDateTime, type BaseRecord } from '../../runtime/models/base-model.js';

interface Thing extends BaseRecord {
  secret: string;
  on: boolean;
  price: string;
  tags: string[];
}

const Thing = new Model<Thing>({
  name: 'Thing',
  table: 'things',
  casts: { on: 'boolean', price: 'decimal:2', tags: 'json' },
  hidden: ['secret'],
});

test('timestamps from every driver read as ISO 8601 UTC', (t) => {
  const iso = '2026-11-27T10:00:00.123Z';
  t.is(toIsoDateTime(new Date(iso)), iso);
  t.is(toIsoDateTime(Date.parse(iso)), iso);
  t.is(toIsoDateTime('2026-11-27 10:00:00.123'), iso);
  t.is(toIsoDateTime('2026-11-27T12:00:00.123+02:00'), iso);
  t.is(toIsoDateTime(null), null);
  t.throws(() => toIsoDateTime('yesterday'), { message: 'toIsoDateTime() cannot read "yesterday" as a timestamp' });
});

test('dates keep their calendar day', (t) => {
  t.is(toIsoDate('2026-02-28'), '2026-02-28');
  t.is(toIsoDate(new Date(Date.UTC(2026, 1, 28))), '2026-02-28');
});

test('fromRow casts driver values; uncast 64-bit integers stay exact', (t) => {
  const record = Thing.fromRow({
    id: 3n,
    on: 1,
    price: 19.9,
    tags: '["a"]',
    created_at: '2026-11-27 10:00:00',
    big: 9007199254740993n,
    small: 5n,
  });
  t.like(record, { id: 3, on: true, price: '19.90', created_at: '2026-11-27T10:00:00.000Z' });
  t.deepEqual(record.tags, ['a']);
  t.is((record as unknown as { big: string }).big, '9007199254740993');
  t.is((record as unknown as { small: number }).small, 5);
});

test('toRow writes timestamps the way each dialect stores them, JSON as text', (t) => {
  const at = new Date('2026-11-27T10:00:00.000Z');
  t.deepEqual(Thing.toRow({ created_at: at, tags: ['a'], skipped: undefined }, new SqliteDialect()), {
    created_at: '2026-11-27T10:00:00.000Z',
    tags: '["a"]',
  });
  t.deepEqual(Thing.toRow({ created_at: at }, new PostgresDialect()), { created_at: at });
});

test('serialize drops hidden columns; isDeleted reads deleted_at', (t) => {
  const thing = {
    id: 1,
    secret: 's',
    on: true,
    price: '1.00',
    tags: [],
    created_at: '',
    updated_at: '',
    deleted_at: null,
  } as Thing;
  t.false('secret' in Thing.serialize(thing));
  t.false(Thing.isDeleted(thing));
  t.true(Thing.isDeleted({ deleted_at: '2026-11-27T10:00:00.000Z' }));
});

test('a table name must be snake_case', (t) => {
  t.throws(() => new Model({ name: 'Post', table: 'Posts' }), {
    message: 'Model "Post": table "Posts" must be snake_case',
  });
});
