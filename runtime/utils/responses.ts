// The three response envelopes of the HTTP contract: success, paginated and error.
import type { Context } from 'koa';
import type { FieldErrors } from './exceptions.js';
import { paginationMeta, type PaginationMeta } from './pagination.js';

export interface SuccessEnvelope<T> {
  success: true;
  message: string | null;
  data: T;
  timestamp: string;
}

export interface PaginatedEnvelope<T> {
  success: true;
  message: string | null;
  data: T[];
  pagination: PaginationMeta;
  timestamp: string;
}

export interface ErrorEnvelope {
  success: false;
  message: string;
  error_code: string;
  errors?: FieldErrors;
  retry_after?: number;
  request_id: string | null;
  timestamp: string;
}

/** What every envelope is sent as (set before the body, so Koa need not look the type up per response). */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

let lastMs = 0;
let lastIso = '';
/** The current time as ISO 8601; printed once per millisecond however many responses share it. */
function now(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/**
 * Builds a success envelope.
 *
 * @example
 * successResponse({ id: 1 }, 'User created')
 * // { success: true, message: 'User created', data: { id: 1 }, timestamp: '2026-…Z' }
 */
export function successResponse<T>(data: T, message: string | null = 'Success'): SuccessEnvelope<T> {
  return { success: true, message, data, timestamp: now() };
}

/**
 * Builds a paginated envelope: `data` is the page's items, `pagination` its position — given as the
 * page, the page size and the total (as the seed writes it), or as a `PaginationMeta`.
 *
 * @example
 * paginatedResponse(items, 2, 20, 45)
 * paginatedResponse(items, paginationMeta({ page: 2, perPage: 20 }, 45), 'Posts')
 */
export function paginatedResponse<T>(
  items: T[],
  page: number,
  perPage: number,
  total: number,
  message?: string | null,
): PaginatedEnvelope<T>;
export function paginatedResponse<T>(
  items: T[],
  pagination: PaginationMeta,
  message?: string | null,
): PaginatedEnvelope<T>;
export function paginatedResponse<T>(
  items: T[],
  position: PaginationMeta | number,
  ...rest: unknown[]
): PaginatedEnvelope<T> {
  if (typeof position === 'number') {
    const [perPage, total, message = null] = rest as [number, number, string | null | undefined];
    for (const [name, value, least] of [
      ['page', position, 1],
      ['perPage', perPage, 1],
      ['total', total, 0],
    ] as const) {
      if (!Number.isInteger(value) || value < least)
        throw new TypeError(`paginatedResponse(): ${name} must be an integer ≥ ${least}, got ${String(value)}`);
    }
    return {
      success: true,
      message,
      data: items,
      pagination: paginationMeta({ page: position, perPage }, total),
      timestamp: now(),
    };
  }
  const [message = null] = rest as [string | null | undefined];
  return { success: true, message, data: items, pagination: position, timestamp: now() };
}

export interface ErrorResponseOptions {
  errors?: FieldErrors;
  requestId?: string | null;
  retryAfter?: number;
}

/** The HTTP status an error envelope was built for (not part of its JSON): what `sendEnvelope(ctx, envelope)` sends it with. */
const STATUS = Symbol('status');
type WithStatus = { [STATUS]?: number };

/**
 * Builds an error envelope. Normally written by the error middleware from a thrown `AppError`. With a
 * status (as the seed writes it), `sendEnvelope(ctx, envelope)` sends it with that status.
 *
 * @example
 * sendEnvelope(ctx, errorResponse('Post not found', 'NOT_FOUND', 404));
 * errorResponse('Post not found', 'NOT_FOUND', { requestId: ctx.state.requestId })
 */
export function errorResponse(
  message: string,
  code: string,
  status: number,
  options?: ErrorResponseOptions,
): ErrorEnvelope;
export function errorResponse(message: string, code: string, options?: ErrorResponseOptions): ErrorEnvelope;
export function errorResponse(
  message: string,
  code: string,
  statusOrOptions?: number | ErrorResponseOptions,
  maybeOptions: ErrorResponseOptions = {},
): ErrorEnvelope {
  const status = typeof statusOrOptions === 'number' ? statusOrOptions : undefined;
  const options = typeof statusOrOptions === 'object' ? statusOrOptions : maybeOptions;
  if (status !== undefined && (!Number.isInteger(status) || status < 400 || status > 599))
    throw new TypeError(`errorResponse(): the status must be an HTTP error status (400-599), got ${status}`);
  const body: ErrorEnvelope = {
    success: false,
    message,
    error_code: code,
    request_id: options.requestId ?? null,
    timestamp: now(),
  };
  if (options.errors && Object.keys(options.errors).length > 0) body.errors = options.errors;
  if (options.retryAfter !== undefined) body.retry_after = options.retryAfter;
  if (status !== undefined) Object.defineProperty(body, STATUS, { value: status, enumerable: false });
  return body;
}

/**
 * Sends a success envelope on `ctx` (status 200 unless given).
 *
 * @example
 * sendSuccess(ctx, post, { message: 'Post created', status: 201 });
 */
export function sendSuccess<T>(
  ctx: Context,
  data: T,
  options: { message?: string | null; status?: number } = {},
): void {
  sendEnvelope(
    ctx,
    options.status ?? 200,
    successResponse(data, options.message === undefined ? 'Success' : options.message),
  );
}

/**
 * Sends a paginated envelope on `ctx`.
 *
 * @example
 * const page = await repository.paginate({ page: 1, perPage: 20 });
 * sendPaginated(ctx, page.items, page.pagination);
 */
export function sendPaginated<T>(
  ctx: Context,
  items: T[],
  pagination: PaginationMeta,
  message: string | null = null,
): void {
  sendEnvelope(ctx, 200, paginatedResponse(items, pagination, message));
}

type Envelope = SuccessEnvelope<unknown> | PaginatedEnvelope<unknown> | ErrorEnvelope;

/**
 * Sends any envelope with its status: the one place responses get their JSON content type. Without
 * a status: the one an error envelope was built with, else 200 for success and 500 for an error.
 *
 * @example
 * sendEnvelope(ctx, 404, errorResponse('Post not found', 'NOT_FOUND'));
 * sendEnvelope(ctx, errorResponse('Post not found', 'NOT_FOUND', 404));
 */
export function sendEnvelope(ctx: Context, status: number, envelope: Envelope): void;
export function sendEnvelope(ctx: Context, envelope: Envelope): void;
export function sendEnvelope(ctx: Context, statusOrEnvelope: number | Envelope, maybeEnvelope?: Envelope): void {
  const envelope = typeof statusOrEnvelope === 'number' ? maybeEnvelope! : statusOrEnvelope;
  const status =
    typeof statusOrEnvelope === 'number'
      ? statusOrEnvelope
      : ((envelope as WithStatus)[STATUS] ?? (envelope.success ? 200 : 500));
  ctx.status = status;
  ctx.set('Content-Type', JSON_CONTENT_TYPE);
  ctx.body = envelope;
}
