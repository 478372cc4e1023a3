// The application's HTTP exceptions: each class carries its HTTP status and machine-readable code
// (the envelope's error_code); all are FastpyErrors (utils/errors.ts).
import { FastpyError } from './errors.js';

/** Field name → list of messages, as sent in the error envelope's `errors`. */
export type FieldErrors = Record<string, string[]>;

/**
 * An empty FieldErrors with no prototype: errors are keyed by names clients send, and a parameter
 * named `__proto__` or `constructor` must be reported like any other, not reach Object.prototype.
 */
export function fieldErrors(): FieldErrors {
  return Object.create(null) as FieldErrors;
}

export const ErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  RATE_LIMIT_EXCEEDED: 'RATE_LIMIT_EXCEEDED',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface AppErrorOptions {
  errors?: FieldErrors;
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * Base class of every error the API reports on purpose. The error middleware turns it into
 * the error envelope with `status`, `code`, `message` and, when present, `errors`.
 *
 * @example
 * throw new AppError(402, 'PAYMENT_REQUIRED', 'Your plan has expired');
 */
export class AppError extends FastpyError {
  readonly status: number;
  readonly errors?: FieldErrors;
  readonly headers: Record<string, string>;
  /** Marks the error as safe to show to the client (its message is written for users). */
  readonly expose = true;

  constructor(status: number, code: string, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new TypeError(`AppError status must be an HTTP error status (400-599), got ${status}`);
    }
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

/** 400: the request is malformed (bad JSON, wrong content). */
export class BadRequestException extends AppError {
  constructor(message = 'Bad request', options?: AppErrorOptions) {
    super(400, ErrorCode.BAD_REQUEST, message, options);
  }
}

/** 401: missing or invalid credentials; always sent with `WWW-Authenticate: Bearer`. */
export class UnauthorizedException extends AppError {
  constructor(message = 'Not authenticated', options: AppErrorOptions = {}) {
    super(401, ErrorCode.UNAUTHORIZED, message, {
      ...options,
      headers: { 'WWW-Authenticate': 'Bearer', ...options.headers },
    });
  }
}

/** 403: authenticated, but not allowed. */
export class ForbiddenException extends AppError {
  constructor(message = 'Forbidden', options?: AppErrorOptions) {
    super(403, ErrorCode.FORBIDDEN, message, options);
  }
}

/** 404: the resource does not exist (or is soft-deleted). */
export class NotFoundException extends AppError {
  constructor(message = 'Resource not found', options?: AppErrorOptions) {
    super(404, ErrorCode.NOT_FOUND, message, options);
  }
}

/** 409: the request clashes with the current state (e.g. a unique value already taken). */
export class ConflictException extends AppError {
  constructor(message = 'Conflict', options?: AppErrorOptions) {
    super(409, ErrorCode.CONFLICT, message, options);
  }
}

/**
 * 422: the input is well-formed but invalid; `errors` maps each field to its messages.
 *
 * @example
 * throw new ValidationException('The e-mail is invalid', { errors: { email: ['must be a valid e-mail address'] } });
 */
export class ValidationException extends AppError {
  constructor(message = 'Validation failed', options: AppErrorOptions = {}) {
    if (typeof message !== 'string')
      throw new TypeError('ValidationException takes the message first: new ValidationException(message, { errors })');
    super(422, ErrorCode.VALIDATION_ERROR, message, options);
  }
}

/**
 * 429: too many requests. `retryAfter` (seconds, rounded up) goes to `Retry-After` and the envelope;
 * without it, the answer says no time.
 *
 * @example
 * throw new RateLimitException('Slow down', { retryAfter: 60 });
 */
export class RateLimitException extends AppError {
  readonly retryAfter?: number;

  constructor(message = 'Too many requests', options: AppErrorOptions & { retryAfter?: number } = {}) {
    if (typeof message !== 'string')
      throw new TypeError(
        'RateLimitException takes the message first: new RateLimitException(message, { retryAfter: seconds })',
      );
    const { retryAfter, ...rest } = options;
    if (retryAfter !== undefined && !Number.isFinite(retryAfter))
      throw new TypeError(`RateLimitException retryAfter must be a number of seconds, got ${String(retryAfter)}`);
    const seconds = retryAfter === undefined ? undefined : Math.max(1, Math.ceil(retryAfter));
    super(429, ErrorCode.RATE_LIMIT_EXCEEDED, message, {
      ...rest,
      headers: { ...(seconds === undefined ? {} : { 'Retry-After': String(seconds) }), ...rest.headers },
    });
    this.retryAfter = seconds;
  }
}

/** 500: something failed that the client cannot fix; the message is never a stack trace. */
export class InternalErrorException extends AppError {
  constructor(message = 'Internal server error', options?: AppErrorOptions) {
    super(500, ErrorCode.INTERNAL_ERROR, message, options);
  }
}

/** 503: a dependency (the database, Redis) is unavailable; retry later. */
export class ServiceUnavailableException extends AppError {
  constructor(message = 'Service unavailable', options?: AppErrorOptions) {
    super(503, ErrorCode.SERVICE_UNAVAILABLE, message, options);
  }
}
