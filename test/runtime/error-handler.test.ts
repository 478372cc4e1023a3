import test from 'ava';
import { toAppError } from '../../runtime/middleware/error-handler.js';
import { AppError, NotFoundException, ValidationException } from '../../runtime/utils/exceptions.js';
import { StorageError, MemoryDisk } from '../../runtime/libs/storage/index.js';
import { FastpyError } from '../../runtime/utils/errors.js';

test('application errors pass through unchanged', (t) => {
  const error = new NotFoundException('Post not found');
  t.is(toAppError(error), error);
});

test('http-errors style errors keep their status with a code for it', (t) => {
  t.like(toAppError(Object.assign(new Error('Payload too large'), { status: 413, expose: true })), {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'Payload too large',
  });
  t.like(toAppError(Object.assign(new Error('nope'), { status: 415 })), {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  });
  t.like(toAppError(Object.assign(new Error('internal detail'), { status: 418, expose: false })), {
    status: 418,
    message: 'Request failed',
  });
});

test('a body-parser JSON syntax error is a 400 with a fixed message', (t) => {
  t.like(toAppError(Object.assign(new SyntaxError('Unexpected token } in JSON at position 7'), { status: 400 })), {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'Malformed JSON in request body',
  });
});

test('a 5xx http error and unknown errors become an opaque 500', (t) => {
  for (const error of [
    Object.assign(new Error('db password is x'), { status: 502 }),
    new Error('boom'),
    'a string',
    null,
  ]) {
    const mapped = toAppError(error);
    t.like(mapped, { status: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' });
  }
});

test('yup validation errors become a 422 keyed by path', (t) => {
  const yupError = {
    name: 'ValidationError',
    message: '2 errors',
    errors: [],
    inner: [
      { name: 'ValidationError', path: 'title', errors: ['title is required'], inner: [] },
      { name: 'ValidationError', path: 'views', errors: ['views must be >= 0'], inner: [] },
    ],
  };
  const mapped = toAppError(yupError);
  t.is(mapped.status, 422);
  t.deepEqual(mapped.errors, { title: ['title is required'], views: ['views must be >= 0'] });
});

test('driver errors: unique → 409, foreign key / not null → 422, connection → 503', (t) => {
  t.like(toAppError({ code: '23505', detail: 'Key (email)=(a@b.c) already exists.' }), {
    status: 409,
    code: 'CONFLICT',
  });
  t.like(toAppError({ code: 'ER_DUP_ENTRY', message: "Duplicate entry 'x' for key 'users_email_unique'" }), {
    status: 409,
  });
  t.like(toAppError({ code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: users.email' }), {
    status: 409,
  });
  t.like(toAppError({ code: '23503' }), { status: 422, code: 'VALIDATION_ERROR' });
  t.like(toAppError({ code: 'ER_BAD_NULL_ERROR', message: "Column 'title' cannot be null" }), { status: 422 });
  t.deepEqual(
    toAppError({ code: 'SQLITE_CONSTRAINT_NOTNULL', message: 'NOT NULL constraint failed: posts.title' }).errors,
    { title: ['is required'] },
  );
  for (const error of [
    { code: 'ECONNREFUSED' },
    { code: '57P01' },
    { code: 'PROTOCOL_CONNECTION_LOST' },
    { name: 'KnexTimeoutError', message: 'Knex: Timeout acquiring a connection.' },
    { code: 'SQLITE_CANTOPEN' },
  ]) {
    t.like(toAppError(error), { status: 503, code: 'SERVICE_UNAVAILABLE' }, JSON.stringify(error));
  }
  t.true(toAppError({ code: '23505' }) instanceof AppError);
});

test("a disk's refusals: a missing file is a 404, a path outside the disk a 400 (Storage.get in a route)", async (t) => {
  const disk = new MemoryDisk();
  const missing = await disk.get('avatars/none.jpg').catch((error: unknown) => error);
  t.true(missing instanceof StorageError);
  t.like(toAppError(missing), {
    status: 404,
    code: 'NOT_FOUND',
    message: 'No file "avatars/none.jpg" on the memory disk',
  });
  const outside = await disk.get('../etc/passwd').catch((error: unknown) => error);
  t.like(toAppError(outside), {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'Invalid storage path "../etc/passwd": it leaves the storage root',
  });
});

test("a copy of Storage's refusals (fastpy eject libs/storage: its own StorageError class) is answered alike", (t) => {
  // What the ejected disk.ts declares: a class of the project's, on the package's FastpyError.
  class StorageError extends FastpyError {}
  t.like(toAppError(new StorageError('E_FILE_NOT_FOUND', 'No file "a.jpg" on the local disk')), {
    status: 404,
    code: 'NOT_FOUND',
  });
  t.like(toAppError(new StorageError('E_INVALID_PATH', 'Invalid storage path "../a"')), { status: 400 });
  t.like(toAppError(new FastpyError('E_CACHE', 'no store')), { status: 500 }, 'other codes stay opaque');
});

test("a copy of the exceptions (fastpy eject utils/exceptions) is answered with the copy's status and code", async (t) => {
  // A second instance of the module, as the ejected src/utils/exceptions.ts is: its classes are not the runtime's.
  const copy = (await import(
    `${new URL('../../runtime/utils/exceptions.ts', import.meta.url).href}?copy`
  )) as typeof import('../../runtime/utils/exceptions.js');
  t.not(copy.AppError, AppError);
  class PaymentRequired extends copy.AppError {
    constructor() {
      super(402, 'PAYMENT_REQUIRED', 'Your plan has expired');
    }
  }
  const thrown = new PaymentRequired();
  t.true(thrown instanceof AppError);
  t.is(toAppError(thrown), thrown, 'passed through, not mapped by its status');
  t.like(toAppError(thrown), { status: 402, code: 'PAYMENT_REQUIRED', message: 'Your plan has expired' });
  const invalid = new copy.ValidationException('Invalid', { errors: { title: ['is required'] } });
  t.true(invalid instanceof ValidationException, 'the runtime catches a copy’s 422 as its own (auth, filters)');
  t.false(new copy.NotFoundException() instanceof ValidationException, 'and tells the classes apart');
  t.false(Object.assign(new Error('x'), { name: 'AppError' }) instanceof AppError, 'an unrelated error is not one');
  class AppErrorLookalike extends Error {}
  Object.defineProperty(AppErrorLookalike, 'name', { value: 'AppError' });
  t.false(
    new AppErrorLookalike('x') instanceof AppError,
    'a class of the same name outside fastpy’s errors is not one',
  );
});
