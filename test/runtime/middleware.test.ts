// Middleware in isolation, on a bare Koa app (no database).
import test from 'ava';
import Koa from 'koa';
import supertest from 'supertest';
import { bodyParser } from '@koa/bodyparser';
import { limitBodyDepth, nestingDepth } from '../../runtime/middleware/body-depth.js';
import { errorHandler } from '../../runtime/middleware/error-handler.js';
import { MemoryRateLimitStore, rateLimit, type RateLimitStore } from '../../runtime/middleware/rate-limit.js';
import { requestId } from '../../runtime/middleware/request-id.js';
import { timing } from '../../runtime/middleware/timing.js';
import { createLogger } from '../../runtime/utils/logger.js';

/** A logger that records what it is given. */
function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

test('request id: kept when sane, replaced when not, always on ctx.state', async (t) => {
  const app = new Koa().use(requestId()).use((ctx) => {
    ctx.body = { id: ctx.state.requestId };
  });
  const kept = await supertest(app.callback()).get('/').set('X-Request-ID', 'abc-123');
  t.is(kept.body.id, 'abc-123');
  t.is(kept.headers['x-request-id'], 'abc-123');
  const longest = 'a'.repeat(128);
  t.is((await supertest(app.callback()).get('/').set('X-Request-ID', longest)).body.id, longest);
  const replaced = await supertest(app.callback()).get('/').set('X-Request-ID', 'a'.repeat(129));
  t.regex(replaced.body.id, /^[0-9a-f-]{36}$/);
});

test('timing: X-Response-Time on every response, slow requests logged as warnings', async (t) => {
  const { logger, lines } = recordingLogger();
  const app = new Koa().use(timing({ logger, slowMs: 30 })).use(async (ctx) => {
    if (ctx.path === '/slow') await new Promise((resolve) => setTimeout(resolve, 60));
    ctx.body = 'ok';
  });
  const fast = await supertest(app.callback()).get('/fast');
  t.regex(String(fast.headers['x-response-time']), /^\d+\.\d{2}ms$/);
  await supertest(app.callback()).get('/slow');
  const warnings = lines.filter((line) => line.level === 40);
  t.is(warnings.length, 1);
  t.like(warnings[0], { msg: 'slow request', method: 'GET', path: '/slow', status: 200 });
  t.true(Number(warnings[0]!.ms) >= 30);
  t.false(
    lines.some((line) => line.level === 30),
    'no request lines at info outside development',
  );
});

test('timing in development: a line per request at info, with method, path, status, time and request id', async (t) => {
  const { logger, lines } = recordingLogger();
  const app = new Koa()
    .use(requestId())
    .use(timing({ logger, logRequests: true }))
    .use((ctx) => {
      ctx.status = 201;
      ctx.body = 'made';
    });
  await supertest(app.callback()).post('/api/posts').set('X-Request-ID', 'req-1');
  const [line] = lines.filter((entry) => entry.level === 30);
  t.like(line, { method: 'POST', path: '/api/posts', status: 201, requestId: 'req-1' });
  t.regex(String(line!.msg), /^POST \/api\/posts 201 \d+\.\dms$/);
});

test('the logger redacts passwords, tokens and authorization headers', (t) => {
  const { logger, lines } = recordingLogger();
  logger.info(
    {
      password: 'hunter2',
      user: { refresh_token: 'r1', name: 'Ada' },
      req: { headers: { authorization: 'Bearer x' } },
    },
    'login',
  );
  const text = JSON.stringify(lines[0]);
  t.notRegex(text, /hunter2|"r1"|Bearer x/);
  t.regex(text, /Ada/);
});

test('rate limit: a failing store fails open by default, 503 when closed', async (t) => {
  const broken: RateLimitStore = { hit: async () => Promise.reject(new Error('redis down')) };
  const { logger } = recordingLogger();
  const open = new Koa()
    .use(errorHandler({ logger }))
    .use(rateLimit({ limit: 1, windowSeconds: 1, store: broken, logger }))
    .use((ctx) => {
      ctx.body = 'through';
    });
  t.is((await supertest(open.callback()).get('/')).text, 'through');
  const closed = new Koa()
    .use(errorHandler({ logger }))
    .use(rateLimit({ limit: 1, windowSeconds: 1, store: broken, failOpen: false }))
    .use((ctx) => {
      ctx.body = 'through';
    });
  const response = await supertest(closed.callback()).get('/');
  t.is(response.status, 503);
  t.is(response.body.error_code, 'SERVICE_UNAVAILABLE');
});

test('rate limit: without a store it counts in Redis when given one, else in memory', async (t) => {
  const calls: unknown[][] = [];
  const redis = {
    eval: async (...args: unknown[]) => {
      calls.push(args);
      return [1, 1, 60_000]; // allowed, count, ms to the reset
    },
  };
  const limited = (options: Partial<Parameters<typeof rateLimit>[0]>) =>
    new Koa()
      .use(errorHandler({ logger: recordingLogger().logger }))
      .use(rateLimit({ limit: 1, windowSeconds: 60, ...options }))
      .use((ctx) => {
        ctx.body = 'through';
      })
      .callback();
  const viaRedis = limited({ redis, prefix: 'shop:ratelimit:' });
  t.is((await supertest(viaRedis).get('/')).status, 200);
  t.regex(String(calls[0]?.[2]), /^shop:ratelimit:/, 'its keys under the prefix');
  const inMemory = limited({});
  t.is((await supertest(inMemory).get('/')).status, 200);
  t.is((await supertest(inMemory).get('/')).status, 429, 'the second request of the window is over the limit');
  t.is(calls.length, 1, 'memory: Redis not asked');
});

test('rate limit: options are checked', (t) => {
  const store = new MemoryRateLimitStore();
  t.throws(() => rateLimit({ limit: 0, windowSeconds: 60, store }), {
    message: 'rateLimit() limit must be a positive integer, got 0',
  });
  t.throws(() => rateLimit({ limit: 10, windowSeconds: 0, store }), {
    message: 'rateLimit() windowSeconds must be positive, got 0',
  });
});

test('security headers: the values helmet sets, computed once and copied onto every response', async (t) => {
  const { securityHeaderList, securityHeaders } = await import('../../runtime/middleware/security-headers.js');
  const list = securityHeaderList({ hsts: true });
  t.deepEqual(Object.fromEntries(list), {
    'Content-Security-Policy': "default-src 'none';frame-ancestors 'none'",
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-site',
    'Referrer-Policy': 'no-referrer',
    'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  });
  t.false(securityHeaderList().some(([name]) => name === 'Strict-Transport-Security'));
  const app = new Koa();
  app.use(securityHeaders());
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  const response = await supertest(app.callback()).get('/');
  for (const [name, value] of securityHeaderList()) t.is(response.headers[name.toLowerCase()], value, name);
});

test('envelopes go out as JSON in UTF-8, and a handler can still send something else', async (t) => {
  const { sendPaginated, sendSuccess } = await import('../../runtime/utils/responses.js');
  const app = new Koa().use(errorHandler({ logger: recordingLogger().logger })).use((ctx) => {
    if (ctx.path === '/one') sendSuccess(ctx, { name: 'é' }, { status: 201 });
    else if (ctx.path === '/page')
      sendPaginated(ctx, [1], { page: 1, per_page: 1, total: 1, pages: 1, has_next: false, has_prev: false });
    else if (ctx.path === '/replaced') {
      sendSuccess(ctx, { name: 'x' });
      ctx.body = '<p>html</p>';
      ctx.type = 'html';
    }
  });
  const one = await supertest(app.callback()).get('/one');
  t.is(one.status, 201);
  t.is(one.headers['content-type'], 'application/json; charset=utf-8');
  t.is(one.body.data.name, 'é');
  t.is((await supertest(app.callback()).get('/page')).headers['content-type'], 'application/json; charset=utf-8');
  t.is((await supertest(app.callback()).get('/replaced')).headers['content-type'], 'text/html; charset=utf-8');
  const missing = await supertest(app.callback()).get('/nothing');
  t.is(missing.status, 404);
  t.is(missing.headers['content-type'], 'application/json; charset=utf-8');
});

test('body depth: measured without recursion; deeper than the limit is a 400 envelope before any handler', async (t) => {
  t.is(nestingDepth(1), 0);
  t.is(nestingDepth([]), 1);
  t.is(nestingDepth({ a: [1, { b: 2 }] }), 3);
  const deepest = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
  t.is(nestingDepth(deepest, 64), 65, 'stops counting past the limit');
  t.is(nestingDepth(deepest), 200_000, 'no stack overflow');
  let reached = 0;
  const app = new Koa()
    .use(errorHandler({ logger: createLogger({ level: 'silent' }), exposeInternals: false }))
    .use(bodyParser())
    .use(limitBodyDepth(64))
    .use((ctx) => {
      reached++;
      ctx.body = { ok: true };
    });
  const send = (body: string) => supertest(app.callback()).post('/').set('content-type', 'application/json').send(body);
  t.is((await send(`{"meta":${'['.repeat(63)}${']'.repeat(63)}}`)).status, 200, '64 levels pass');
  const refused = await send(`{"meta":${'['.repeat(64)}${']'.repeat(64)}}`);
  t.is(refused.status, 400);
  t.like(refused.body, {
    success: false,
    error_code: 'BAD_REQUEST',
    message: 'The request body is nested more than 64 levels deep',
  });
  t.is((await send(`${'['.repeat(3000)}${']'.repeat(3000)}`)).status, 400);
  t.is(reached, 1, 'no handler saw a refused body');
});
