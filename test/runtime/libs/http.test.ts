// Http against real local servers on 127.0.0.1: verbs, bodies, auth, query, timeouts, retries,
// redirects, the private-address guard, and the fake.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { loadSettings } from '../../../runtime/config/settings.js';
import { configureLibs } from '../../../runtime/libs/config.js';
import {
  Http,
  HttpClient,
  HttpError,
  HttpRequestRefusedError,
  isPrivateAddress,
  type RecordedRequest,
} from '../../../runtime/libs/http/index.js';

configureLibs(loadSettings({ NODE_ENV: 'test' }));

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function server(
  t: { teardown(fn: () => unknown): void },
  handle: (request: Seen, response: ServerResponse) => void,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const instance: Server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const entry = { method: request.method!, url: request.url!, headers: request.headers, body };
    seen.push(entry);
    handle(entry, response);
  });
  await new Promise<void>((resolve) => instance.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    instance.closeAllConnections();
    instance.close();
  });
  return { url: `http://127.0.0.1:${(instance.address() as AddressInfo).port}`, seen };
}

const json = (response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));

test('verbs with JSON, form and query; token, basic auth and headers are sent', async (t) => {
  const api = await server(t, (request, response) =>
    json(response, request.method === 'POST' ? 201 : 200, { method: request.method, url: request.url }),
  );
  const local = Http.allowPrivateNetwork();
  const got = await local.withToken('bearer-token').get(`${api.url}/api/users`, { page: 2, tag: ['a', 'b'] });
  t.is(got.status, 200);
  t.deepEqual(got.json(), { method: 'GET', url: '/api/users?page=2&tag=a&tag=b' });
  t.is(api.seen[0]!.headers.authorization, 'Bearer bearer-token');
  const created = await local.post(`${api.url}/api/users`, { name: 'John' });
  t.true(created.successful());
  t.is(created.status, 201);
  t.is(api.seen[1]!.body, '{"name":"John"}');
  t.is(api.seen[1]!.headers['content-type'], 'application/json');
  await local.withBasicAuth('user', 'pass').put(`${api.url}/x`, { a: 1 });
  t.is(api.seen[2]!.headers.authorization, `Basic ${Buffer.from('user:pass').toString('base64')}`);
  await local.withHeaders({ 'X-Custom': 'value' }).delete(`${api.url}/x`);
  t.is(api.seen[3]!.headers['x-custom'], 'value');
  await local.send('POST', `${api.url}/login`, { form: { username: 'a', password: 'b c' } });
  t.is(api.seen[4]!.body, 'username=a&password=b+c');
  t.is(api.seen[4]!.headers['content-type'], 'application/x-www-form-urlencoded');
  await local.baseUrl(api.url).patch('/relative', { b: 2 });
  t.is(api.seen[5]!.url, '/relative');
});

test('responses: status helpers, json() and throw() name the problem', async (t) => {
  const api = await server(t, (request, response) =>
    request.url === '/text' ? response.writeHead(200).end('plain') : json(response, 404, { error: 'missing' }),
  );
  const missing = await Http.allowPrivateNetwork().get(`${api.url}/nope`);
  t.true(missing.failed() && missing.clientError() && !missing.serverError());
  t.deepEqual(missing.json(), { error: 'missing' });
  t.throws(() => missing.throw(), { instanceOf: HttpError, message: `HTTP 404 from ${api.url}/nope` });
  const text = await Http.allowPrivateNetwork().get(`${api.url}/text`);
  t.is(text.text(), 'plain');
  t.throws(() => text.json(), { message: `the response of ${api.url}/text (HTTP 200) is not JSON: "plain"` });
});

test('timeouts abandon a request; retries follow 5xx and 429 (with retry-after) and connection errors', async (t) => {
  let calls = 0;
  const flaky = await server(t, (request, response) => {
    calls += 1;
    if (request.url === '/slow') return; // never answers
    if (calls === 1) return json(response, 503, { error: 'busy' });
    if (calls === 2) return json(response, 429, { error: 'later' }, { 'retry-after': '0' });
    return json(response, 200, { ok: true });
  });
  const response = await Http.allowPrivateNetwork().retry(3, 10).get(`${flaky.url}/flaky`);
  t.deepEqual(response.json(), { ok: true });
  t.is(calls, 3);
  const started = Date.now();
  await t.throwsAsync(Http.allowPrivateNetwork().timeout(0.3).get(`${flaky.url}/slow`), {
    instanceOf: HttpError,
    message: /no response from 127\.0\.0\.1:\d+ within 300 ms/,
  });
  t.true(Date.now() - started < 2000);
  const noRetry = await server(t, (_request, response) => json(response, 500, {}));
  t.is((await Http.allowPrivateNetwork().get(noRetry.url)).status, 500, 'without retry() a 500 is returned once');
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  await t.throwsAsync(Http.allowPrivateNetwork().retry(1, 10).get(`http://127.0.0.1:${port}/`), {
    instanceOf: HttpError,
    message: new RegExp(`GET http://127\\.0\\.0\\.1:${port}/ failed: connect ECONNREFUSED`),
  });
});

test('redirects are followed (303 turns POST into GET), within a limit', async (t) => {
  const api = await server(t, (request, response) => {
    if (request.url === '/old') return response.writeHead(301, { location: '/new' }).end();
    if (request.url === '/submit') return response.writeHead(303, { location: '/done' }).end();
    if (request.url === '/loop') return response.writeHead(302, { location: '/loop' }).end();
    return json(response, 200, { at: request.url, method: request.method });
  });
  t.deepEqual((await Http.allowPrivateNetwork().get(`${api.url}/old`)).json(), { at: '/new', method: 'GET' });
  t.deepEqual((await Http.allowPrivateNetwork().post(`${api.url}/submit`, { a: 1 })).json(), {
    at: '/done',
    method: 'GET',
  });
  await t.throwsAsync(Http.allowPrivateNetwork().get(`${api.url}/loop`), {
    message: `Http: more than 5 redirects from ${api.url}/loop`,
  });
});

test('the guard: private, loopback and link-local addresses are refused — literal or by name — unless allowed', async (t) => {
  for (const address of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not-an-ip',
  ])
    t.true(isPrivateAddress(address), address);
  for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
    t.false(isPrivateAddress(address), address);
  const api = await server(t, (_request, response) => json(response, 200, { secret: true }));
  await t.throwsAsync(Http.get(`${api.url}/secret`), {
    instanceOf: HttpRequestRefusedError,
    message: /127\.0\.0\.1:\d+ is a private address; requests to it are refused/,
  });
  await t.throwsAsync(Http.get(`http://[::1]:1/`), { instanceOf: HttpRequestRefusedError });
  const port = new URL(api.url).port;
  await t.throwsAsync(Http.get(`http://localhost:${port}/secret`), {
    instanceOf: HttpRequestRefusedError,
    message: /localhost resolves to (127\.0\.0\.1|::1), a private address/,
  });
  t.is(api.seen.length, 0, 'nothing reached the server');
  await t.throwsAsync(Http.get('file:///etc/passwd'), { message: 'Http: only http and https URLs (got file:)' });
  configureLibs(loadSettings({ NODE_ENV: 'test', HTTP_ALLOW_PRIVATE_NETWORK: 'true' }));
  t.deepEqual((await Http.get(`${api.url}/secret`)).json(), { secret: true }, 'allowed by setting');
  configureLibs(loadSettings({ NODE_ENV: 'test' }));
});

test('the fake: patterns answer, requests are recorded, assertions say what was sent', async (t) => {
  const http = new HttpClient();
  http.fake({
    'https://api.example.com/*': { status: 200, json: { ok: true } },
    'https://pay.example.com/charge': (request: RecordedRequest) => ({
      status: 201,
      json: { charged: (request.json as { amount: number }).amount },
    }),
  });
  const response = await http.get('https://api.example.com/test');
  t.deepEqual(response.json(), { ok: true });
  t.deepEqual((await http.withToken('k').post('https://pay.example.com/charge', { amount: 5 })).json(), { charged: 5 });
  t.is((await http.get('https://elsewhere.example.com/')).status, 200, 'an unmatched request gets an empty 200');
  http.assertSent('https://api.example.com/test');
  http.assertSent(
    (request) => request.url === 'https://pay.example.com/charge' && request.headers.authorization === 'Bearer k',
  );
  http.assertNotSent('https://api.example.com/other');
  http.assertSentCount(3);
  t.throws(() => http.assertSent('https://nowhere.example.com/*'), {
    message:
      /expected a request to https:\/\/nowhere\.example\.com\/\*; sent: GET https:\/\/api\.example\.com\/test, POST https:\/\/pay\.example\.com\/charge, GET https:\/\/elsewhere\.example\.com\//,
  });
  http.preventStrayRequests();
  await t.throwsAsync(http.get('https://stray.example.com/'), {
    message: 'Http: no fake for GET https://stray.example.com/ (preventStrayRequests is on)',
  });
  http.restore();
  t.deepEqual(http.recorded(), []);
});

test.serial(
  "HTTP_BASE_URL: relative URLs go to the configured base (as the seed writes Http.withToken(t).get('/api/protected'))",
  async (t) => {
    const api = await server(t, (request, response) =>
      json(response, 200, { url: request.url, authorization: request.headers.authorization ?? null }),
    );
    t.teardown(() => configureLibs(loadSettings({ NODE_ENV: 'test' })));
    configureLibs(
      loadSettings({ NODE_ENV: 'test', HTTP_BASE_URL: `${api.url}/v1/`, HTTP_ALLOW_PRIVATE_NETWORK: 'true' }),
    );
    const got = await Http.withToken('t0ken').get('protected', { page: 1 });
    t.deepEqual(got.json(), { url: '/v1/protected?page=1', authorization: 'Bearer t0ken' });
    t.is(
      (await Http.get('/api/protected')).json<{ url: string }>().url,
      '/api/protected',
      'a path from the root replaces the base path, as URLs resolve',
    );
    t.is(
      (await Http.baseUrl(`${api.url}/other/`).get('x')).json<{ url: string }>().url,
      '/other/x',
      'baseUrl() overrides it per request',
    );
    configureLibs(loadSettings({ NODE_ENV: 'test' }));
    await t.throwsAsync(Http.get('/api/protected'), {
      instanceOf: HttpRequestRefusedError,
      message: 'Http: "/api/protected" is not a URL (a relative URL needs HTTP_BASE_URL, or baseUrl() on the request)',
    });
    t.throws(() => loadSettings({ NODE_ENV: 'test', HTTP_BASE_URL: 'api.example.com' }), {
      message: /HTTP_BASE_URL must be an http\(s\) URL \(got "api\.example\.com"\)/,
    });
  },
);
