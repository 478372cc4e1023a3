// The list endpoint's query string, derived from a resource's fields and checked strictly:
// page, per_page, sort (allow-listed), search (text fields), filter[field] / filter[field][op],
// trashed. Anything else, or a bad value, is a 422 naming the parameter.
import type { Knex } from 'knex';
import type { SortTerm, TrashedScope } from '../repositories/base-repository.js';
import { fieldErrors, ValidationException } from '../utils/exceptions.js';
import { MAX_PER_PAGE, parsePageParams, type PageParams } from '../utils/pagination.js';
import { TYPES, type FieldDefinition } from './spec.js';
import { normaliseValue } from './validation.js';

export const FILTER_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface ListQuery extends PageParams {
  sort: SortTerm[];
  search?: string;
  filters: Array<{ field: string; operator: FilterOperator; value: unknown }>;
  trashed: TrashedScope;
  /** Adds the search and filter conditions to a query on `table`. */
  where: (query: Knex.QueryBuilder) => void;
}

type QueryValue = string | string[] | undefined;

const SQL_OPERATORS: Record<Exclude<FilterOperator, 'in'>, string> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};
const BASE_SORTABLE = ['id', 'created_at', 'updated_at'];
/** The most values `filter[field][in]` takes. */
export const MAX_IN_VALUES = 100;

/** The value of a query-string filter for a field: text is typed (numbers, booleans) first. */
function filterValue(field: FieldDefinition, raw: string): unknown {
  // Filters compare values, not lengths: only the type check applies.
  return normaliseValue({ ...field, rules: {} }, TYPES[field.type].fromQuery(raw));
}

export interface ListQueryOptions {
  table: string;
  maxPerPage?: number;
  /** Turns a filter value into what the database compares (e.g. a Date into SQLite's ISO text): `Model.toRow`. */
  encode?: (field: string, value: unknown) => unknown;
  /**
   * Relations filtered by ids (`filter[tags]=1,2`: linked to any of these), by name: each narrows
   * a query to the records linked to those ids (BaseRepository.whereLinked).
   */
  linked?: Readonly<Record<string, (query: Knex.QueryBuilder, ids: readonly number[]) => void>>;
}

/** The parameters that are not filters. */
const PLAIN_PARAMETERS = new Set(['page', 'per_page', 'sort', 'search', 'trashed', 'include']);

/** Whether a query-string value (or any of its repeats) holds a NUL character. */
const hasNul = (value: QueryValue) =>
  Array.isArray(value)
    ? value.some((item) => item.includes('\u0000'))
    : value !== undefined && value.includes('\u0000');

/**
 * The list query parser of one resource: what its fields allow (sort, search, filters) is worked out
 * once, and each request only checks its query string against it.
 *
 * @example
 * const parse = listQueryParser(postFields, { table: 'posts' });
 * const list = parse(ctx.query);
 * const page = await repository.scoped(list.trashed).paginate(list);
 */
export function listQueryParser(
  fields: readonly FieldDefinition[],
  options: ListQueryOptions,
): (query: Record<string, QueryValue>) => ListQuery {
  const encode = options.encode ?? ((_field: string, value: unknown) => value);
  const maxPerPage = options.maxPerPage ?? MAX_PER_PAGE;
  const column = (name: string) => `${options.table}.${name}`;
  const filterable = new Map(fields.filter((field) => TYPES[field.type].sortable).map((field) => [field.name, field]));
  const sortable = [...BASE_SORTABLE, ...filterable.keys()];
  const searchable = fields.filter((field) => TYPES[field.type].searchable).map((field) => field.name);
  const linked = options.linked ?? {};
  return (query) => parse(query, { encode, maxPerPage, column, filterable, sortable, searchable, linked });
}

/**
 * @example
 * const list = parseListQuery(ctx.query, postFields, { table: 'posts' });
 */
export function parseListQuery(
  query: Record<string, QueryValue>,
  fields: readonly FieldDefinition[],
  options: ListQueryOptions,
): ListQuery {
  return listQueryParser(fields, options)(query);
}

interface Allowed {
  encode: (field: string, value: unknown) => unknown;
  maxPerPage: number;
  column: (name: string) => string;
  filterable: Map<string, FieldDefinition>;
  linked: NonNullable<ListQueryOptions['linked']>;
  sortable: string[];
  searchable: string[];
}

function parse(query: Record<string, QueryValue>, allowed: Allowed): ListQuery {
  const { encode, column, filterable, sortable, searchable, linked } = allowed;
  const errors = fieldErrors();
  const fail = (parameter: string, message: string) => (errors[parameter] ??= []).push(message);

  let page: PageParams = { page: 1, perPage: 20 };
  try {
    page = parsePageParams(query, { maxPerPage: allowed.maxPerPage });
  } catch (error) {
    if (error instanceof ValidationException) Object.assign(errors, error.errors);
    else throw error;
  }

  for (const name in query) {
    if (hasNul(query[name])) fail(name, `${name} must not contain NUL characters`);
  }

  const single = (name: string): string | undefined => {
    const value = query[name];
    if (Array.isArray(value)) {
      fail(name, `${name} must be given once`);
      return undefined;
    }
    return value;
  };

  const sort: SortTerm[] = [];
  const sortText = single('sort');
  if (sortText !== undefined && sortText !== '') {
    for (const term of sortText.split(',').map((item) => item.trim())) {
      const name = term.replace(/^[-+]/, '');
      if (!sortable.includes(name)) fail('sort', `cannot sort by "${name}"; sortable: ${sortable.join(', ')}`);
      else if (sort.some((existing) => existing.column === column(name))) fail('sort', `"${name}" is given twice`);
      else sort.push({ column: column(name), direction: term.startsWith('-') ? 'desc' : 'asc' });
    }
  }

  const search = single('search');
  if (search !== undefined && search.length > 200) fail('search', 'search must be at most 200 characters');
  if (search && searchable.length === 0) fail('search', 'this resource has no text fields to search');

  const trashedText = single('trashed');
  let trashed: TrashedScope = 'without';
  if (trashedText === 'with' || trashedText === 'only') trashed = trashedText;
  else if (trashedText !== undefined && trashedText !== '') fail('trashed', 'trashed must be "with" or "only"');

  const filters: ListQuery['filters'] = [];
  const relationFilters: Array<{ name: string; ids: number[] }> = [];
  for (const key of Object.keys(query)) {
    if (PLAIN_PARAMETERS.has(key)) continue;
    const match = /^filter\[([a-z][a-z0-9_]*)\](?:\[([a-z]+)\])?$/.exec(key);
    if (!match) {
      fail(key, `unknown parameter "${key}"; use page, per_page, sort, search, trashed, include or filter[field]`);
      continue;
    }
    const [, name, operatorText = 'eq'] = match;
    if (Object.hasOwn(linked, name!)) {
      const raw = single(key);
      if (raw === undefined) continue;
      const items = raw.split(',').map((item) => item.trim());
      if (match[2] !== undefined)
        fail(key, `filter[${name}] takes ids only: filter[${name}]=1,2 (linked to any of them)`);
      else if (items.length > MAX_IN_VALUES) fail(key, `at most ${MAX_IN_VALUES} ids`);
      else if (!items.every((item) => /^[1-9]\d{0,14}$/.test(item)))
        fail(key, `filter[${name}] takes ids: positive integers separated by commas, e.g. 1,2`);
      else relationFilters.push({ name: name!, ids: items.map(Number) });
      continue;
    }
    const field = filterable.get(name!);
    if (!field) {
      const names = [...filterable.keys(), ...Object.keys(linked)];
      fail(key, `cannot filter by "${name}"; filterable: ${names.join(', ') || 'none'}`);
      continue;
    }
    if (!(FILTER_OPERATORS as readonly string[]).includes(operatorText)) {
      fail(key, `unknown operator "${operatorText}"; use ${FILTER_OPERATORS.filter((op) => op !== 'eq').join(', ')}`);
      continue;
    }
    const operator = operatorText as FilterOperator;
    const raw = single(key);
    if (raw === undefined) continue;
    try {
      if (operator === 'in') {
        const items = raw.split(',');
        if (items.length > MAX_IN_VALUES) throw new TypeError(`at most ${MAX_IN_VALUES} values`);
        filters.push({ field: field.name, operator, value: items.map((item) => filterValue(field, item)) });
      } else {
        filters.push({ field: field.name, operator, value: filterValue(field, raw) });
      }
    } catch (error) {
      fail(key, (error as Error).message.replace(/^normaliseValue\(\): /, ''));
    }
  }

  if (Object.keys(errors).length > 0) throw new ValidationException('Invalid query parameters', { errors });

  const where = (builder: Knex.QueryBuilder) => {
    for (const { name, ids } of relationFilters) linked[name]!(builder, ids);
    for (const filter of filters) {
      if (filter.operator === 'in')
        builder.whereIn(
          column(filter.field),
          (filter.value as unknown[]).map((item) => encode(filter.field, item)) as Knex.Value[],
        );
      else
        builder.where(
          column(filter.field),
          SQL_OPERATORS[filter.operator],
          encode(filter.field, filter.value) as Knex.Value,
        );
    }
    if (search) {
      // lower() LIKE with an explicit escape character behaves the same on all three databases.
      const pattern = `%${search.toLowerCase().replace(/[!%_]/g, (char) => `!${char}`)}%`;
      builder.where((inner) => {
        for (const name of searchable) inner.orWhereRaw(`lower(??) like ? escape '!'`, [column(name), pattern]);
      });
    }
  };
  return { ...page, sort, search: search || undefined, filters, trashed, where };
}
