// Load: 50 connections mixing create, list and get (autocannon) for a bounded time on each database.
// Zero errors and no non-2xx answer, and every 201 is a row in the table afterwards: nothing lost.
import test from 'ava';
import autocannon from 'autocannon';
import { testDrivers } from '../helpers/databases.js';
import { startResourceApp } from '../helpers/resource-app.js';

/** PostgreSQL gets the full 20 s; the others a shorter run (the suite stays lean). */
const seconds = (driver: string) => Number(process.env.FASTPY_LOAD_SECONDS ?? (driver === 'postgresql' ? 20 : 8));

for (const driver of testDrivers()) {
  test.serial(`${driver}: 50 connections of create + list + get: no errors, every 201 is a row`, async (t) => {
    t.timeout(120_000);
    const app = await startResourceApp({ driver, database: `fastpy_load_${process.pid}`, env: { DB_POOL_MAX: '10' } });
    t.teardown(() => app.close());
    const token = await app.token();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = new Set<number>();
    const statuses = new Map<number, number>();
    let serial = 0;
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const result = await autocannon({
      url: app.base,
      connections: 50,
      duration: seconds(driver),
      requests: [
        {
          method: 'POST',
          path: '/api/articles',
          headers,
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({
              title: `Load ${++serial}`,
              price: '9.99',
              slug: `load-${process.pid}-${serial}`,
              user_id: 1,
              meta: { n: serial },
            }),
          }),
          onResponse: (status, body, context) => {
            count(status);
            if (status === 201) {
              const id = (JSON.parse(body) as { data: { id: number } }).data.id;
              created.add(id);
              (context as { id?: number }).id = id;
            }
          },
        },
        {
          method: 'GET',
          path: '/api/articles?per_page=20&sort=-id',
          headers,
          onResponse: (status) => void count(status),
        },
        {
          method: 'GET',
          headers,
          setupRequest: (request, context) => ({
            ...request,
            path: `/api/articles/${(context as { id?: number }).id ?? 1}`,
          }),
          onResponse: (status) => void count(status),
        },
      ],
    });
    t.log(
      `${result.requests.total} requests in ${seconds(driver)} s (${Math.round(result.requests.average)}/s), p99 ${result.latency.p99} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    t.is(result.errors, 0, 'no connection errors');
    t.is(result.timeouts, 0, 'no timeouts');
    t.is(result.non2xx, 0, `no non-2xx answers: ${JSON.stringify(Object.fromEntries(statuses))}`);
    t.true(created.size > 100, `${created.size} created`);
    const rows = await app.db<{ id: number }>('articles').select('id');
    const ids = new Set(rows.map((row) => Number(row.id)));
    t.deepEqual(
      [...created].filter((id) => !ids.has(id)),
      [],
      'every 201 is a row',
    );
    // Requests still in flight when the run stopped were written, their answers not counted: at most one per connection.
    t.true(ids.size - created.size <= 50, `${ids.size} rows for ${created.size} answers seen`);
  });
}
