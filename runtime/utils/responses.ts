// The three response envelopes of the HTTP contract: success, paginated and error.
import type { Context } from 'koa';
import type { FieldErrors } from './exceptions.js';
import type { PaginationMeta } from './pagination.js';

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
 * Builds a paginated envelope: `data` is the page's items, `pagination` its position.
 *
 * @example
 * paginatedResponse(items, paginationMeta({ page: 1, perPage: 20 }, 45))
 */
export function paginatedResponse<T>(items: T[], pagination: PaginationMeta, message: string | null = null): PaginatedEnvelope<T> {
  return { success: true, message, data: items, pagination, timestamp: now() };
}

export interface ErrorResponseOptions {
  errors?: FieldErrors;
  requestId?: string | null;
  retryAfter?: number;
}

/**
 * Builds an error envelope. Normally written by the error middleware from a thrown `AppError`.
 *
 * @example
 * errorResponse('Post not found', 'NOT_FOUND', { requestId: ctx.state.requestId })
 */
export function errorResponse(message: string, code: string, options: ErrorResponseOptions = {}): ErrorEnvelope {
  const body: ErrorEnvelope = { success: false, message, error_code: code, request_id: options.requestId ?? null, timestamp: now() };
  if (options.errors && Object.keys(options.errors).length > 0) body.errors = options.errors;
  if (options.retryAfter !== undefined) body.retry_after = options.retryAfter;
  return body;
}

/**
 * Sends a success envelope on `ctx` (status 200 unless given).
 *
 * @example
 * sendSuccess(ctx, post, { message: 'Post created', status: 201 });
 */
export function sendSuccess<T>(ctx: Context, data: T, options: { message?: string | null; status?: number } = {}): void {
  sendEnvelope(ctx, options.status ?? 200, successResponse(data, options.message === undefined ? 'Success' : options.message));
}

/**
 * Sends a paginated envelope on `ctx`.
 *
 * @example
 * const page = await repository.paginate({ page: 1, perPage: 20 });
 * sendPaginated(ctx, page.items, page.pagination);
 */
export function sendPaginated<T>(ctx: Context, items: T[], pagination: PaginationMeta, message: string | null = null): void {
  sendEnvelope(ctx, 200, paginatedResponse(items, pagination, message));
}

/**
 * Sends any envelope with its status: the one place responses get their JSON content type.
 *
 * @example
 * sendEnvelope(ctx, 404, errorResponse('Post not found', 'NOT_FOUND'));
 */
export function sendEnvelope(ctx: Context, status: number, envelope: SuccessEnvelope<unknown> | PaginatedEnvelope<unknown> | ErrorEnvelope): void {
  ctx.status = status;
  ctx.set('Content-Type', JSON_CONTENT_TYPE);
  ctx.body = envelope;
}
