// The baseline the benchmark compares generated APIs with: what a developer would write by hand
// with Koa, @koa/router, a body parser and Knex over the same table — no validation library, no
// envelopes, no middleware beyond parsing JSON. Plain JavaScript (no loader), the same pool size as
// the generated app (0–10; SQLite one connection in WAL mode).
// Usage: DATABASE_URL=… PORT=… TABLE=items node bench/bare-server.mjs
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import knex from 'knex';

const url = process.env.DATABASE_URL;
const table = process.env.TABLE ?? 'items';
const sqlite = url.startsWith('sqlite:');
const db = knex(
  sqlite
    ? {
        client: 'better-sqlite3',
        connection: { filename: url.slice('sqlite:'.length) },
        useNullAsDefault: true,
        pool: {
          min: 1,
          max: 1,
          afterCreate: (connection, done) => done(null, connection.pragma('journal_mode = WAL')),
        },
      }
    : { client: url.startsWith('mysql') ? 'mysql2' : 'pg', connection: url, pool: { min: 0, max: 10 } },
);
const returning = url.startsWith('postgres');

const router = new Router();
router.get('/health', (ctx) => {
  ctx.body = { status: 'ok' };
});
router.get(`/${table}`, async (ctx) => {
  const page = Math.max(1, Number(ctx.query.page) || 1);
  const perPage = Math.min(100, Math.max(1, Number(ctx.query.per_page) || 20));
  const [{ total }] = await db(table).whereNull('deleted_at').count({ total: '*' });
  const rows = await db(table)
    .whereNull('deleted_at')
    .orderBy('id')
    .limit(perPage)
    .offset((page - 1) * perPage);
  ctx.body = { data: rows, total: Number(total), page, per_page: perPage };
});
router.get(`/${table}/:id`, async (ctx) => {
  const row = await db(table)
    .where({ id: Number(ctx.params.id) })
    .whereNull('deleted_at')
    .first();
  if (!row) {
    ctx.status = 404;
    ctx.body = { error: 'not found' };
    return;
  }
  ctx.body = row;
});
router.post(`/${table}`, async (ctx) => {
  const body = ctx.request.body;
  if (typeof body?.name !== 'string' || typeof body.sku !== 'string') {
    ctx.status = 422;
    ctx.body = { error: 'name and sku are required' };
    return;
  }
  const now = sqlite ? new Date().toISOString() : new Date();
  const values = {
    name: body.name,
    sku: body.sku,
    price: body.price,
    stock: body.stock ?? 0,
    published: body.published ?? false,
    created_at: now,
    updated_at: now,
  };
  if (returning) {
    [ctx.body] = await db(table).insert(values).returning('*');
  } else {
    const [id] = await db(table).insert(values);
    ctx.body = await db(table).where({ id }).first();
  }
  ctx.status = 201;
});

const app = new Koa();
app.use(bodyParser());
app.use(router.routes());
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void db.destroy().then(() => process.exit(0))));
