import test from 'ava';
import {
  AppError,
  BadRequestException,
  ConflictException,
  ForbiddenException,
  InternalErrorException,
  NotFoundException,
  RateLimitException,
  ServiceUnavailableException,
  UnauthorizedException,
  ValidationException,
} from '../../runtime/utils/exceptions.js';
import { pageOffset, paginationMeta, parsePageParams } from '../../runtime/utils/pagination.js';
import { errorResponse, paginatedResponse, successResponse } from '../../runtime/utils/responses.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

test('success envelope', (t) => {
  const body = successResponse({ id: 1 }, 'User created');
  t.deepEqual(Object.keys(body), ['success', 'message', 'data', 'timestamp']);
  t.like(body, { success: true, message: 'User created', data: { id: 1 } });
  t.regex(body.timestamp, ISO);
});

test('the timestamp is the time of the response: shared within a millisecond, never stale', async (t) => {
  const before = Date.now();
  const first = successResponse(null).timestamp;
  const second = errorResponse('x', 'X').timestamp;
  t.true(Date.parse(first) >= before && Date.parse(second) >= Date.parse(first));
  await new Promise((resolve) => setTimeout(resolve, 5));
  const later = paginatedResponse([], paginationMeta({ page: 1, perPage: 1 }, 0)).timestamp;
  t.regex(later, ISO);
  t.true(Date.parse(later) >= Date.parse(first) + 5, `${later} is at least 5 ms after ${first}`);
  t.true(Date.parse(later) <= Date.now());
});

test('paginated envelope', (t) => {
  const body = paginatedResponse([1, 2], paginationMeta({ page: 1, perPage: 2 }, 3));
  t.deepEqual(Object.keys(body), ['success', 'message', 'data', 'pagination', 'timestamp']);
  t.deepEqual(body.pagination, { page: 1, per_page: 2, total: 3, pages: 2, has_next: true, has_prev: false });
  t.is(body.message, null);
});

test('error envelope: errors and retry_after only when present', (t) => {
  const plain = errorResponse('Not found', 'NOT_FOUND', { requestId: 'abc' });
  t.deepEqual(Object.keys(plain), ['success', 'message', 'error_code', 'request_id', 'timestamp']);
  const detailed = errorResponse('Invalid', 'VALIDATION_ERROR', { errors: { title: ['is required'] }, retryAfter: 3 });
  t.deepEqual(detailed.errors, { title: ['is required'] });
  t.is(detailed.retry_after, 3);
  t.is(detailed.request_id, null);
  t.false('errors' in errorResponse('x', 'X', { errors: {} }));
});

test('each exception carries its status and code', (t) => {
  const cases: Array<[AppError, number, string]> = [
    [new BadRequestException(), 400, 'BAD_REQUEST'],
    [new UnauthorizedException(), 401, 'UNAUTHORIZED'],
    [new ForbiddenException(), 403, 'FORBIDDEN'],
    [new NotFoundException(), 404, 'NOT_FOUND'],
    [new ConflictException(), 409, 'CONFLICT'],
    [new ValidationException('Bad a', { errors: { a: ['b'] } }), 422, 'VALIDATION_ERROR'],
    [new RateLimitException('Slow down', { retryAfter: 2.2 }), 429, 'RATE_LIMIT_EXCEEDED'],
    [new InternalErrorException(), 500, 'INTERNAL_ERROR'],
    [new ServiceUnavailableException(), 503, 'SERVICE_UNAVAILABLE'],
  ];
  for (const [error, status, code] of cases) {
    t.is(error.status, status, code);
    t.is(error.code, code);
    t.true(error instanceof AppError);
    t.is(error.name, error.constructor.name);
  }
});

test('401 always says Bearer; 429 rounds Retry-After up to whole seconds', (t) => {
  t.is(new UnauthorizedException().headers['WWW-Authenticate'], 'Bearer');
  const limited = new RateLimitException('Slow down', { retryAfter: 2.2 });
  t.is(limited.retryAfter, 3);
  t.is(limited.headers['Retry-After'], '3');
  t.is(new RateLimitException('Now', { retryAfter: 0 }).retryAfter, 1);
});

test('the exceptions take their message first, as the seed writes them; a number in its place names the new form', (t) => {
  // The seed: raise RateLimitException("Slow down"), raise ValidationException("...", errors=...).
  const slow = new RateLimitException('Slow down');
  t.is(slow.message, 'Slow down');
  t.is(slow.retryAfter, undefined);
  t.false('Retry-After' in slow.headers, 'no time given: no Retry-After (never NaN)');
  const invalid = new ValidationException('The e-mail is taken', { errors: { email: ['is taken'] } });
  t.is(invalid.message, 'The e-mail is taken');
  t.deepEqual(invalid.errors, { email: ['is taken'] });
  t.is(new ValidationException().message, 'Validation failed');
  t.throws(() => new RateLimitException(60 as never), {
    message: /takes the message first: new RateLimitException\(message, \{ retryAfter: seconds \}\)/,
  });
  t.throws(() => new ValidationException({ email: ['x'] } as never), { message: /takes the message first/ });
  t.throws(() => new RateLimitException('x', { retryAfter: Number.NaN }), {
    message: /retryAfter must be a number of seconds, got NaN/,
  });
});

test('AppError refuses a status that is not an error', (t) => {
  t.throws(() => new AppError(200, 'OK', 'fine'), { message: /must be an HTTP error status \(400-599\), got 200/ });
});

test('page parameters: defaults, bounds, and a 422 naming the bad one', (t) => {
  t.deepEqual(parsePageParams({}), { page: 1, perPage: 20 });
  t.deepEqual(parsePageParams({ page: '3', per_page: '100' }), { page: 3, perPage: 100 });
  for (const [query, field] of [
    [{ page: '0' }, 'page'],
    [{ page: 'abc' }, 'page'],
    [{ page: '1.5' }, 'page'],
    [{ per_page: '101' }, 'per_page'],
    [{ per_page: '0' }, 'per_page'],
    [{ per_page: ['1', '2'] }, 'per_page'],
  ] as const) {
    const error = t.throws(() => parsePageParams(query as Record<string, string>), { instanceOf: ValidationException });
    t.deepEqual(Object.keys(error.errors!), [field], JSON.stringify(query));
  }
  t.deepEqual(parsePageParams({ per_page: '5' }, { maxPerPage: 5, defaultPerPage: 50 }), { page: 1, perPage: 5 });
  // A page past the last one the API can address names the real bound.
  t.deepEqual(parsePageParams({ page: '999999999' }), { page: 999_999_999, perPage: 20 });
  for (const page of ['999999999999', '1000000000', '0', '-1']) {
    t.deepEqual(
      t.throws(() => parsePageParams({ page }), { instanceOf: ValidationException }).errors,
      { page: ['page must be an integer between 1 and 999999999'] },
      page,
    );
  }
});

test('pagination meta for empty, exact and partial pages', (t) => {
  t.deepEqual(paginationMeta({ page: 1, perPage: 20 }, 0), {
    page: 1,
    per_page: 20,
    total: 0,
    pages: 0,
    has_next: false,
    has_prev: false,
  });
  t.like(paginationMeta({ page: 2, perPage: 10 }, 20), { pages: 2, has_next: false, has_prev: true });
  t.like(paginationMeta({ page: 5, perPage: 10 }, 20), { pages: 2, has_next: false, has_prev: true });
  t.is(pageOffset({ page: 3, perPage: 20 }), 40);
});

test('paginatedResponse(items, page, perPage, total) and errorResponse(message, code, status), as the seed calls them', async (t) => {
  const page = paginatedResponse([{ id: 21 }], 2, 20, 45);
  t.deepEqual(page.pagination, { page: 2, per_page: 20, total: 45, pages: 3, has_next: true, has_prev: true });
  t.is(page.message, null);
  t.is(paginatedResponse([], 1, 20, 0, 'Nothing yet').message, 'Nothing yet');
  t.throws(() => paginatedResponse([], 0, 20, 0), {
    message: 'paginatedResponse(): page must be an integer ≥ 1, got 0',
  });
  t.throws(() => paginatedResponse([], 1, 20, -1), {
    message: 'paginatedResponse(): total must be an integer ≥ 0, got -1',
  });

  const missing = errorResponse('Post not found', 'NOT_FOUND', 404);
  t.deepEqual(
    Object.keys(JSON.parse(JSON.stringify(missing))).sort(),
    ['error_code', 'message', 'request_id', 'success', 'timestamp'],
    'the status is not in the JSON',
  );
  t.throws(() => errorResponse('fine', 'OK', 200), {
    message: /status must be an HTTP error status \(400-599\), got 200/,
  });
  const { sendEnvelope } = await import('../../runtime/utils/responses.js');
  const sent = (envelope: Parameters<typeof sendEnvelope>[1]) => {
    const headers: Record<string, string> = {};
    const ctx = {
      status: 0,
      body: undefined as unknown,
      set: (name: string, value: string) => (headers[name] = value),
    };
    sendEnvelope(ctx as never, envelope);
    return { status: ctx.status, body: ctx.body, type: headers['Content-Type'] };
  };
  t.like(sent(missing), { status: 404, body: missing, type: 'application/json; charset=utf-8' });
  t.is(sent(errorResponse('Broken', 'INTERNAL_ERROR')).status, 500, 'an error envelope without a status is a 500');
  t.is(sent(successResponse({ id: 1 })).status, 200);
  t.is(sent(page).status, 200);
});
