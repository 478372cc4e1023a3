// Http: outgoing requests. `fastpy libs http --usage` prints this file; the tests run it.
// It runs against a fake (Http.fake, at the end in the seed's order, is set up first here so the
// example needs no network); without the fake the same calls go out over the network.
import assert from 'node:assert/strict';
import { Http } from '#libs';

// Patterns are tried in order, `*` matching anything.
Http.fake({
  'https://api.example.com/users': (request) => ({
    status: request.method === 'POST' ? 201 : 200,
    json: { method: request.method },
  }),
  'https://api.example.com/*': { status: 200, json: { ok: true } },
});
const url = 'https://api.example.com/users/1';
const data = { name: 'John' };

// Basic requests
const users = await Http.get('https://api.example.com/users');
assert.deepEqual(users.json(), { method: 'GET' });
const created = await Http.post('https://api.example.com/users', { name: 'John' });
assert.equal(created.status, 201);
await Http.put(url, data);
await Http.delete(url);

// Query strings, timeouts (seconds) and retries (with backoff; 5xx, 429 and connection errors)
await Http.timeout(5).retry(2, 200).get('https://api.example.com/users', { page: 2 });

// With authentication
await Http.withToken('bearer-token').get('https://api.example.com/api/protected');
await Http.withBasicAuth('user', 'pass').get(url);

// With headers
const response = await Http.withHeaders({ 'X-Custom': 'value' }).get(url);

// Responses
assert.ok(response.successful());
assert.deepEqual(response.json(), { ok: true });
response.throw(); // throws an HttpError for a 4xx/5xx

// Testing (fake responses)
await Http.get('https://api.example.com/test');
Http.assertSent('https://api.example.com/test');
Http.assertSent((request) => request.headers.authorization === 'Bearer bearer-token');
Http.assertNotSent('https://other.example.com/*');
Http.restore();

// Requests to private or loopback addresses are refused (server-side request forgery) unless allowed
await assert.rejects(Http.get('http://169.254.169.254/latest/meta-data/'), /private address/);
// Http.allowPrivateNetwork().get('http://internal-service:8080/status') reaches an internal service.
