// Page parameters (`page`, `per_page`) parsed from a query string, and the `pagination` block of the envelope.
import { fieldErrors, ValidationException } from './exceptions.js';

export interface PageParams {
  page: number;
  perPage: number;
}

export interface PaginationMeta {
  page: number;
  per_page: number;
  total: number;
  pages: number;
  has_next: boolean;
  has_prev: boolean;
}

export interface PageOptions {
  /** `per_page` when the client sends none (default 20). */
  defaultPerPage?: number;
  /** Largest `per_page` accepted (default 100). */
  maxPerPage?: number;
}

type QueryValue = string | string[] | undefined;

/** `per_page` when the client sends none, and the largest accepted, unless a list says otherwise. */
export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;

/** The largest `page` (nine digits: its offset stays an exact integer on every database). */
export const MAX_PAGE = 999_999_999;

function positiveInteger(
  name: string,
  raw: QueryValue,
  fallback: number,
  max: number,
  errors: Record<string, string[]>,
): number {
  if (raw === undefined || raw === '') return fallback;
  if (Array.isArray(raw)) {
    errors[name] = [`${name} must be given once`];
    return fallback;
  }
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 1 && value <= max)) {
    errors[name] = [`${name} must be an integer between 1 and ${max}`];
    return fallback;
  }
  return value;
}

/**
 * Reads `page` (1–MAX_PAGE) and `per_page` (1–max) from a parsed query string; a bad value is a 422 naming it.
 *
 * @example
 * parsePageParams({ page: '2', per_page: '50' }) // { page: 2, perPage: 50 }
 * parsePageParams({ per_page: '500' })            // throws ValidationException { per_page: [...] }
 */
export function parsePageParams(query: Record<string, QueryValue>, options: PageOptions = {}): PageParams {
  const maxPerPage = options.maxPerPage ?? MAX_PER_PAGE;
  const defaultPerPage = Math.min(options.defaultPerPage ?? DEFAULT_PER_PAGE, maxPerPage);
  const errors = fieldErrors();
  const page = positiveInteger('page', query.page, 1, MAX_PAGE, errors);
  const perPage = positiveInteger('per_page', query.per_page, defaultPerPage, maxPerPage, errors);
  if (Object.keys(errors).length > 0) throw new ValidationException('Invalid pagination parameters', { errors });
  return { page, perPage };
}

/**
 * Computes the envelope's `pagination` block.
 *
 * @example
 * paginationMeta({ page: 2, perPage: 20 }, 45)
 * // { page: 2, per_page: 20, total: 45, pages: 3, has_next: true, has_prev: true }
 */
export function paginationMeta(params: PageParams, total: number): PaginationMeta {
  const pages = total === 0 ? 0 : Math.ceil(total / params.perPage);
  return {
    page: params.page,
    per_page: params.perPage,
    total,
    pages,
    has_next: params.page < pages,
    has_prev: params.page > 1,
  };
}

/** The row offset of a page. */
export function pageOffset(params: PageParams): number {
  return (params.page - 1) * params.perPage;
}
