// The middleware every response passes through: request id, response time, security headers, CORS.
import test from 'ava';
import type { Knex } from 'knex';
import { client } from '../../../runtime/testing/kit.js';
import { onEveryDatabase } from '../../helpers/framework-suite.js';

onEveryDatabase('api_middleware', ({ it, ready, buildApp, testSettings }) => {
  let db: Knex;

  test.before(async () => {
    db = await ready();
  });

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('every response gets a generated X-Request-ID, also in error envelopes', async (t) => {
    const ok = await client(buildApp({ db })).get('/health/');
    t.regex(String(ok.headers['x-request-id']), UUID);
    const missing = await client(buildApp({ db })).get('/nowhere');
    t.regex(String(missing.headers['x-request-id']), UUID);
    t.is(missing.body.request_id, missing.headers['x-request-id']);
  });

  it('a sane X-Request-ID from the client is kept', async (t) => {
    const response = await client(buildApp({ db })).get('/nowhere').set('X-Request-ID', 'trace-abc.123:xyz');
    t.is(response.headers['x-request-id'], 'trace-abc.123:xyz');
    t.is(response.body.request_id, 'trace-abc.123:xyz');
  });

  it('an insane X-Request-ID is replaced', async (t) => {
    for (const sent of ['has spaces in it', 'x'.repeat(200), 'new\\nline', '<script>']) {
      const response = await client(buildApp({ db })).get('/health/').set('X-Request-ID', sent);
      t.regex(String(response.headers['x-request-id']), UUID, sent);
    }
  });

  it('X-Response-Time is set in milliseconds', async (t) => {
    const response = await client(buildApp({ db })).get('/health/');
    t.regex(String(response.headers['x-response-time']), /^\d+\.\d{2}ms$/);
  });

  it('security headers are set', async (t) => {
    const response = await client(buildApp({ db })).get('/health/');
    t.is(response.headers['x-content-type-options'], 'nosniff');
    t.is(response.headers['x-frame-options'], 'DENY');
    t.is(response.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'");
    t.is(response.headers['referrer-policy'], 'no-referrer');
    t.is(response.headers['cross-origin-resource-policy'], 'same-site');
    t.false('x-powered-by' in response.headers);
    // Headers for old browsers or HTML pages are left out of a JSON API.
    for (const legacy of [
      'x-xss-protection',
      'x-dns-prefetch-control',
      'x-download-options',
      'x-permitted-cross-domain-policies',
      'origin-agent-cluster',
    ])
      t.false(legacy in response.headers, legacy);
    const failed = await client(buildApp({ db })).get('/nowhere');
    t.is(failed.status, 404);
    t.is(failed.headers['x-content-type-options'], 'nosniff', 'error responses carry them too');
  });

  it('Strict-Transport-Security only in production', async (t) => {
    t.false('strict-transport-security' in (await client(buildApp({ db })).get('/health/')).headers);
    const production = testSettings({
      NODE_ENV: 'production',
      SECRET_KEY: 'a-long-random-production-secret-3f9c1b7e5d2a8f60',
    });
    const response = await client(buildApp({ db, settings: production })).get('/health/');
    t.regex(String(response.headers['strict-transport-security']), /max-age=\d+/);
  });

  it('CORS allows only the configured origins', async (t) => {
    const settings = testSettings({ CORS_ORIGINS: 'https://app.example.com' });
    const allowed = await client(buildApp({ db, settings })).get('/health/').set('Origin', 'https://app.example.com');
    t.is(allowed.headers['access-control-allow-origin'], 'https://app.example.com');
    t.regex(String(allowed.headers['access-control-expose-headers']), /X-Request-ID/);
    const refused = await client(buildApp({ db, settings })).get('/health/').set('Origin', 'https://evil.example.com');
    t.false('access-control-allow-origin' in refused.headers);
  });

  it('no CORS headers when CORS_ORIGINS is empty', async (t) => {
    const response = await client(buildApp({ db })).get('/health/').set('Origin', 'https://app.example.com');
    t.false('access-control-allow-origin' in response.headers);
  });
});
