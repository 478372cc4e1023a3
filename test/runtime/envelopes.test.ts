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
    [new ValidationException({ a: ['b'] }), 422, 'VALIDATION_ERROR'],
    [new RateLimitException(2.2), 429, 'RATE_LIMIT_EXCEEDED'],
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
  const limited = new RateLimitException(2.2);
  t.is(limited.retryAfter, 3);
  t.is(limited.headers['Retry-After'], '3');
  t.is(new RateLimitException(0).retryAfter, 1);
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
    t.deepEqual(Object.keys(error!.errors!), [field], JSON.stringify(query));
  }
  t.deepEqual(parsePageParams({ per_page: '5' }, { maxPerPage: 5, defaultPerPage: 50 }), { page: 1, perPage: 5 });
});

test('pagination meta for empty, exact and partial pages', (t) => {
  t.deepEqual(paginationMeta({ page: 1, perPage: 20 }, 0), { page: 1, per_page: 20, total: 0, pages: 0, has_next: false, has_prev: false });
  t.like(paginationMeta({ page: 2, perPage: 10 }, 20), { pages: 2, has_next: false, has_prev: true });
  t.like(paginationMeta({ page: 5, perPage: 10 }, 20), { pages: 2, has_next: false, has_prev: true });
  t.is(pageOffset({ page: 3, perPage: 20 }), 40);
});
