// Factories and foreign keys, on every database: a record's parent is made by the parent's factory
// (tests), or — `createMany(…, { parents: 'existing' })`, as seeders call it — taken at random from
// the live rows already there, never a soft-deleted one, and made only where there is none.
import test from 'ava';
import type { Knex } from 'knex';
import { modelTimestamps } from '../../runtime/database/schema.js';
import { defineFactory, type FactoryBuilder } from '../../runtime/factories/factory.js';
import { parseFieldSpecs } from '../../runtime/fields/spec.js';
import { Model, type BaseRecord } from '../../runtime/models/base-model.js';
import { onEveryDatabase } from '../helpers/framework-suite.js';

const postFields = parseFieldSpecs(['title:string:required']);
const commentFields = parseFieldSpecs(['body:text:required', 'post_id:integer:required,foreign:posts.id']);
const Post = new Model<BaseRecord>({ name: 'Post', table: 'posts', fields: postFields });
interface CommentRecord extends BaseRecord {
  body: string;
  post_id: number;
}
const Comment = new Model<CommentRecord>({ name: 'Comment', table: 'comments', fields: commentFields });
const factories: Record<string, FactoryBuilder> = {};
const postFactory = (factories.posts = defineFactory({ model: Post, fields: postFields, parents: () => factories }));
const commentFactory = defineFactory({ model: Comment, fields: commentFields, parents: () => factories });
factories.comments = commentFactory as FactoryBuilder;

onEveryDatabase('factories', ({ it, ready }) => {
  let db: Knex;

  test.before(async () => {
    db = await ready();
    await db.schema.createTable('posts', (table) => {
      table.increments('id');
      table.string('title').notNullable();
      modelTimestamps(db, table);
    });
    await db.schema.createTable('comments', (table) => {
      table.increments('id');
      table.text('body').notNullable();
      table.integer('post_id').unsigned().notNullable().references('id').inTable('posts');
      modelTimestamps(db, table);
    });
  });

  const count = async (table: string) =>
    Number((await db(table).count<Array<{ n: number | string }>>({ n: '*' }))[0]!.n);

  // One test: the steps share the two tables.
  it('a parent per record by default; parents: existing attaches to the live rows there are, and makes one where there is none', async (t) => {
    await commentFactory(db).createMany(3);
    t.is(await count('posts'), 3, 'one post made per comment');

    const live = await postFactory(db).createMany(4);
    const gone = await postFactory(db).create();
    await db('posts').where('id', gone.id).update({ deleted_at: new Date() });
    const posts = await count('posts');
    const seeded = await commentFactory(db).createMany(40, {}, { parents: 'existing' });
    t.is(await count('posts'), posts, 'no post made: there were some');
    const used = new Set(seeded.map((comment) => comment.post_id));
    t.false(used.has(gone.id), 'never a soft-deleted post');
    t.true(used.size > 1, 'spread over the posts, not all on one');
    t.true([...used].every((id) => typeof id === 'number'));
    t.true(live.some((post) => used.has(post.id)));

    const fixed = await commentFactory(db).createMany(2, { post_id: live[0]!.id }, { parents: 'existing' });
    t.deepEqual(
      fixed.map((comment) => comment.post_id),
      [live[0]!.id, live[0]!.id],
      'an override wins',
    );

    await db('posts').update({ deleted_at: new Date() });
    const before = await count('posts');
    const [comment] = await commentFactory(db).createMany(1, {}, { parents: 'existing' });
    t.is(await count('posts'), before + 1);
    t.is((await db('posts').where('id', comment!.post_id).first('deleted_at')).deleted_at, null);
  });
});
