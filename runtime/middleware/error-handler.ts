// The one place errors become responses: every failure leaves as an error envelope with the right
// status, and nothing internal (stack traces, SQL, driver messages) leaves outside development.
import type { Context, Middleware } from 'koa';
import { classifyDatabaseError } from '../database/dialects.js';
import type { StorageError } from '../libs/storage/disk.js';
import { FastpyError } from '../utils/errors.js';
import type { Logger } from '../utils/logger.js';
import {
  AppError,
  BadRequestException,
  ConflictException,
  ErrorCode,
  InternalErrorException,
  NotFoundException,
  RateLimitException,
  ServiceUnavailableException,
  ValidationException,
  fieldErrors,
} from '../utils/exceptions.js';
import { errorResponse, sendEnvelope } from '../utils/responses.js';

export interface ErrorHandlerOptions {
  logger: Logger;
  /** Add the error's message and stack to 500 responses (development only). */
  exposeInternals?: boolean;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: ErrorCode.BAD_REQUEST,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  422: ErrorCode.VALIDATION_ERROR,
  429: ErrorCode.RATE_LIMIT_EXCEEDED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

type HttpLikeError = {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  message?: unknown;
  headers?: unknown;
  name?: unknown;
  inner?: unknown;
  path?: unknown;
  errors?: unknown;
};

/** yup's ValidationError, recognised by shape so this module does not depend on yup. */
function fromYup(error: HttpLikeError): ValidationException | undefined {
  if (error.name !== 'ValidationError' || !Array.isArray(error.inner)) return undefined;
  const errors = fieldErrors();
  const leaves = error.inner.length > 0 ? (error.inner as HttpLikeError[]) : [error];
  for (const leaf of leaves) {
    const field = typeof leaf.path === 'string' && leaf.path !== '' ? leaf.path : 'body';
    const messages = Array.isArray(leaf.errors) ? (leaf.errors as string[]) : [String(leaf.message)];
    (errors[field] ??= []).push(...messages);
  }
  return new ValidationException('Validation failed', { errors });
}

/** Errors with a `status` (koa's ctx.throw, http-errors from the body parser, @koa/router). */
function fromHttpError(error: HttpLikeError): AppError | undefined {
  const status = Number(error.status ?? error.statusCode);
  if (!Number.isInteger(status) || status < 400 || status > 599) return undefined;
  if (status === 400 && error.name === 'SyntaxError') return new BadRequestException('Malformed JSON in request body');
  if (status >= 500) return undefined;
  const message =
    error.expose !== false && typeof error.message === 'string' && error.message !== ''
      ? error.message
      : 'Request failed';
  const headers =
    typeof error.headers === 'object' && error.headers !== null ? (error.headers as Record<string, string>) : undefined;
  return new AppError(status, CODE_BY_STATUS[status] ?? ErrorCode.BAD_REQUEST, message, { headers });
}

function fromDatabaseError(error: unknown): AppError | undefined {
  const classified = classifyDatabaseError(error);
  switch (classified?.kind) {
    case 'unique_violation':
      return new ConflictException('A record with the same unique value already exists', { cause: error });
    case 'foreign_key_violation':
      return new ValidationException('A referenced record does not exist', { errors: {}, cause: error });
    case 'not_null_violation':
      return new ValidationException('A required value is missing', {
        errors: classified.target ? { [classified.target]: ['is required'] } : {},
        cause: error,
      });
    case 'invalid_text':
      return new ValidationException('A value contains a character that cannot be stored (such as NUL)', {
        errors: {},
        cause: error,
      });
    case 'connection':
      return new ServiceUnavailableException('Database unavailable, try again shortly', { cause: error });
    default:
      return undefined;
  }
}

const STORAGE_CODES: ReadonlySet<string> = new Set<StorageError['code']>(['E_FILE_NOT_FOUND', 'E_INVALID_PATH']);
const isStorageError = (error: unknown): error is FastpyError =>
  error instanceof FastpyError && STORAGE_CODES.has(error.code);

/**
 * Turns anything thrown into an `AppError`: the application's own errors pass through,
 * known library and driver errors are mapped, and the rest is an opaque 500.
 *
 * @example
 * toAppError(new SyntaxError('Unexpected token')) // InternalErrorException (500)
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // A disk's refusal: the file is not there (404), or the path is not one (400). By its code, so a
  // project's own copy of Storage (fastpy eject libs/storage) is answered alike.
  if (isStorageError(error)) {
    return error.code === 'E_FILE_NOT_FOUND'
      ? new NotFoundException(error.message, { cause: error })
      : new BadRequestException(error.message, { cause: error });
  }
  const shaped = (typeof error === 'object' && error !== null ? error : {}) as HttpLikeError;
  return fromYup(shaped) ?? fromHttpError(shaped) ?? fromDatabaseError(error) ?? new InternalErrorException();
}

function send(ctx: Context, error: AppError, internal: unknown, exposeInternals: boolean): void {
  for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
  const body = errorResponse(error.message, error.code, {
    errors: error.errors,
    requestId: (ctx.state.requestId as string | undefined) ?? null,
    retryAfter: error instanceof RateLimitException ? error.retryAfter : undefined,
  });
  if (exposeInternals && error.status >= 500 && internal instanceof Error) {
    Object.assign(body, { debug: { error: internal.message, stack: internal.stack?.split('\n') } });
  }
  sendEnvelope(ctx, error.status, body);
}

/**
 * Catches every error below it and answers with the error envelope; an unmatched route is a 404 envelope.
 *
 * @example
 * app.use(errorHandler({ logger, exposeInternals: settings.env === 'development' }));
 */
export function errorHandler(options: ErrorHandlerOptions): Middleware {
  const exposeInternals = options.exposeInternals ?? false;
  return async function errorHandlerMiddleware(ctx, next) {
    try {
      await next();
      if (ctx.body === undefined || ctx.body === null) {
        if (ctx.status === 404) throw new NotFoundException(`Route ${ctx.method} ${ctx.path} not found`);
        // e.g. 405 from the router's allowedMethods(): still an envelope.
        if (ctx.status >= 400)
          throw new AppError(
            ctx.status,
            CODE_BY_STATUS[ctx.status] ?? ErrorCode.BAD_REQUEST,
            ctx.message || 'Request failed',
          );
      }
    } catch (error) {
      const appError = toAppError(error);
      const line = {
        err: error,
        method: ctx.method,
        path: ctx.path,
        status: appError.status,
        requestId: ctx.state.requestId as string | undefined,
      };
      if (appError.status >= 500) options.logger.error(line, appError.message);
      else options.logger.debug(line, appError.message);
      send(ctx, appError, error, exposeInternals);
    }
  };
}
