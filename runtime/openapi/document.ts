// The OpenAPI 3.1 document of the app, built from what serves the requests: every route of the route
// table (so `fastpy route:list` and the document agree), the bearer scheme and the OAuth2 password
// flow for protected routes, and, for generated resources, schemas derived from the same field
// definitions that validate their requests.
import type Router from '@koa/router';
import { mustBeSent, TYPES, withOwner, type FieldDefinition } from '../fields/spec.js';
import { decimalPattern as patternOf, lowerBound } from '../fields/types/decimal.js';
import { routeLayers } from '../routes/route-table.js';
import { MAX_IN_VALUES } from '../fields/query.js';
import { MAX_LINKS } from '../models/relation.js';
import { DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE } from '../utils/pagination.js';

type Schema = Record<string, unknown>;

/** What a resource controller's handlers serve: set by ResourceController for each of its handlers. */
export interface ResourceMeta {
  name: string;
  fields: readonly FieldDefinition[];
  action: 'index' | 'show' | 'store' | 'replace' | 'update' | 'destroy' | 'restore' | 'forceDestroy' | 'upload';
  /** The file or image field an `upload` action stores. */
  field?: string;
  /** What `?include=` accepts, by name: the related model, and whether its records need a bearer token (an include of one without it is a 401). */
  relations?: Readonly<Record<string, { model: string; bearer: boolean; many?: boolean; link?: string }>>;
  /** A route under one parent record (`/api/posts/{id}/comments`): the parent model, and the field the path sets. */
  parent?: { name: string; column: string };
  /** An owned model's owner column (Model.owner): set from the token, and each user reaches only their own records. */
  owner?: string;
}

/** One response of a route: `data` is the schema of the envelope's data; `schema` the whole body (no envelope). */
export interface ResponseDoc {
  description: string;
  data?: Schema;
  schema?: Schema;
  /** Default application/json; several when the route answers in several. */
  contentType?: string | string[];
}

/**
 * What a hand-written route says about itself in the OpenAPI document. Bearer security, 401 and 429
 * are added from the route itself; everything here is merged over what the document derives.
 */
export interface RouteDoc {
  summary?: string;
  description?: string;
  tags?: string[];
  /** The request body: a JSON Schema, sent as JSON unless `contentType` says otherwise. */
  body?: { schema: Schema; contentType?: string | string[]; required?: boolean };
  /** Responses by status (a 2xx replaces the default `200 OK`). */
  responses?: Record<number, ResponseDoc>;
  /** Query parameters, by name. */
  query?: Record<string, { description: string; required?: boolean; schema?: Schema }>;
  /** Named schemas the route refers to with `schemaRef(name)`, added to `components.schemas`. */
  schemas?: Record<string, Schema>;
}

/**
 * Where a handler carries what the document says of it: properties under symbols, as requireAuth
 * marks its middleware (REQUIRES_AUTH). `Symbol.for`, so that every copy of this module agrees (an
 * ejected controller, the package's build and its sources in one process).
 */
export const RESOURCE_META = Symbol.for('fastpy.openapi.resource');
export const ROUTE_DOC = Symbol.for('fastpy.openapi.route');

interface Documented {
  [RESOURCE_META]?: ResourceMeta;
  [ROUTE_DOC]?: RouteDoc;
}

/** Marks a handler as a resource action (ResourceController does it for its own). */
export function documentHandler(handler: object, meta: ResourceMeta): void {
  (handler as Documented)[RESOURCE_META] = meta;
}

/**
 * Documents a hand-written route's handler (the route's last middleware); returns the handler.
 *
 * @example
 * router.post('reports.run', '/reports/:id/run', guard, describeRoute({
 *   summary: 'Run a report now',
 *   description: 'Queues the report; the result is e-mailed to its owner.',
 *   responses: { 202: { description: 'Queued', data: { type: 'object', properties: { job_id: { type: 'string' } } } } },
 * }, controller.run));
 */
export function describeRoute<H extends object>(doc: RouteDoc, handler: H): H {
  const target = handler as Documented;
  const previous = target[ROUTE_DOC];
  target[ROUTE_DOC] = previous
    ? {
        ...previous,
        ...doc,
        responses: { ...previous.responses, ...doc.responses },
        schemas: { ...previous.schemas, ...doc.schemas },
      }
    : doc;
  return handler;
}

/** A reference to a schema in `components.schemas` (a resource's `Post`, `PostCreate`…, or one a RouteDoc adds). */
export const schemaRef = (name: string): Schema => ref(name);

/**
 * Where a field's schema is used: a record as the API returns it (`record`), a create or replace body
 * (`input`: what a field left out becomes), a PATCH body (`update`: an omitted field keeps its value).
 */
export type SchemaUse = 'record' | 'input' | 'update';

/**
 * The pattern of an exact decimal field's strings (fields/types/decimal.ts).
 *
 * @example
 * decimalPattern(parseFieldSpec('price:decimal:gte:0')) // '^\\+?0*\\d{1,8}(\\.(?=\\d)\\d{0,2}0*)?$'
 */
export function decimalPattern(field: FieldDefinition): string {
  return patternOf(field, TYPES[field.type].decimal!);
}

/** A field's JSON Schema, as the API accepts (`input`, `update`) or returns it (`record`). */
export function fieldSchema(field: FieldDefinition, use: SchemaUse = 'input'): Schema {
  const info = TYPES[field.type];
  const rules = field.rules;
  const notes: string[] = [];
  const schema = info.schema(field);
  if (info.family === 'decimal') {
    // JSON Schema cannot compare a string as a number: the bounds are said in words.
    const low = lowerBound(rules) ?? info.decimal!.min;
    const high = [rules.max, rules.lte, rules.lt].find((bound) => bound !== undefined) ?? info.decimal!.max;
    if (low !== undefined) notes.push(`${rules.gt !== undefined ? 'greater than' : 'at least'} ${low}`);
    if (high !== undefined) notes.push(`${rules.lt !== undefined ? 'less than' : 'at most'} ${high}`);
  }
  if (info.maxLength !== undefined) {
    const max = rules.max ?? info.maxLength;
    if (max !== undefined) schema.maxLength = max;
    if (rules.min !== undefined) schema.minLength = rules.min;
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    if (rules.min !== undefined) schema.minimum = rules.min;
    if (rules.max !== undefined) schema.maximum = rules.max;
    if (rules.gte !== undefined) schema.minimum = rules.gte;
    if (rules.lte !== undefined) schema.maximum = rules.lte;
    if (rules.gt !== undefined) schema.exclusiveMinimum = rules.gt;
    if (rules.lt !== undefined) schema.exclusiveMaximum = rules.lt;
  }
  if (rules.foreign)
    notes.push(`the id of a ${rules.foreign.table} record (${rules.foreign.table}.${rules.foreign.column})`);
  // In words, not as `default`: generated clients (openapi-typescript) make a property with a default
  // required in a component schema, and a client need not send what the API fills in.
  if (use === 'input' && rules.default !== undefined)
    notes.push(`left out: ${rules.default === 'now' ? 'the current time' : JSON.stringify(rules.default)}`);
  if (notes.length > 0) schema.description = notes.join('; ');
  schema.examples = [fieldExample(field)];
  // A body may hold null only where the field is nullable; a record holds null also where nothing was set.
  const nullable = rules.nullable || (use === 'record' && !rules.required && rules.default === undefined);
  if (nullable) schema.type = [...[schema.type as string | string[]].flat(), 'null'];
  return schema;
}

/** A valid value of the field for examples: the type's example, brought within the field's rules. */
export function fieldExample(field: FieldDefinition): unknown {
  const info = TYPES[field.type];
  const rules = field.rules;
  if (rules.foreign) return info.family === 'integer' ? (field.type === 'bigint' ? '1' : 1) : JSON.parse(info.example);
  const example = JSON.parse(info.example) as unknown;
  if (typeof example === 'number' || info.family === 'decimal') {
    let value = Number(example);
    const low = rules.gte ?? rules.min ?? (rules.gt !== undefined ? rules.gt + 1 : undefined);
    const high = rules.lte ?? rules.max ?? (rules.lt !== undefined ? rules.lt - 1 : undefined);
    if (low !== undefined && value < low) value = low;
    if (high !== undefined && value > high) value = high;
    if (value === Number(example)) return example;
    return info.family === 'decimal' ? value.toFixed(info.decimal!.scale) : value;
  }
  if (typeof example === 'string' && info.family !== 'temporal') {
    let value = example;
    if (rules.min !== undefined && value.length < rules.min) value = value.padEnd(rules.min, 'x');
    if (rules.max !== undefined && value.length > rules.max) value = value.slice(0, rules.max);
    return value;
  }
  return example;
}

const pascal = (name: string) => name.replace(/(^|[_-])(\w)/g, (_match, _sep, letter: string) => letter.toUpperCase());

function resourceSchemas(meta: ResourceMeta): Record<string, Schema> {
  // A belongsToMany is written as a list of ids (`tag_ids`): in create and update bodies, not in records.
  const links = Object.values(meta.relations ?? {}).flatMap((relation) =>
    relation.link === undefined
      ? []
      : [
          [
            relation.link,
            {
              type: 'array',
              items: { type: 'integer', minimum: 1 },
              maxItems: MAX_LINKS,
              description: relation.bearer
                ? `the ${relation.model} records to link, by id (exactly these; each must exist and be yours to reach). Sending it needs a bearer token (401 without). Left out of a create or a PUT: none (without a token: unchanged); of a PATCH: unchanged`
                : `the ${relation.model} records to link, by id (exactly these; each must exist). Left out of a create or a PUT: none; of a PATCH: unchanged`,
            },
          ] as const,
        ],
  );
  const properties = (use: SchemaUse) => ({
    ...Object.fromEntries(meta.fields.map((field) => [field.name, fieldSchema(field, use)])),
    ...(use === 'record' ? {} : Object.fromEntries(links)),
  });
  const example = Object.fromEntries(meta.fields.map((field) => [field.name, fieldExample(field)]));
  const timestamps = { type: 'string', format: 'date-time' };
  // Related records are in a record only when `?include=` asks for them.
  const included = Object.fromEntries(
    Object.entries(meta.relations ?? {}).map(([name, relation]) => [
      name,
      relation.many
        ? {
            type: 'array',
            items: ref(relation.model),
            description: `with ?include=${name}: the related ${relation.model} records, oldest first (an empty list when there are none)`,
          }
        : {
            anyOf: [ref(relation.model), { type: 'null' }],
            description: `with ?include=${name}: the related ${relation.model} (null when there is none)`,
          },
    ]),
  );
  return {
    [meta.name]: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        ...properties('record'),
        ...(meta.owner && {
          [meta.owner]: {
            type: 'integer',
            description: 'The id of the user the record belongs to: set from the token on create, never from a body',
          },
        }),
        created_at: timestamps,
        updated_at: timestamps,
        deleted_at: { type: ['string', 'null'], format: 'date-time' },
        ...included,
      },
      required: [
        'id',
        ...meta.fields.map((field) => field.name),
        ...(meta.owner ? [meta.owner] : []),
        'created_at',
        'updated_at',
        'deleted_at',
      ],
    },
    [`${meta.name}Create`]: {
      type: 'object',
      properties: properties('input'),
      required: meta.fields.filter(mustBeSent).map((field) => field.name),
      additionalProperties: false,
      examples: [example],
    },
    // Created under a parent (`POST /api/posts/{id}/comments`): the path gives the parent's field.
    ...(meta.parent && {
      [nestedCreateSchema(meta)]: {
        type: 'object',
        properties: Object.fromEntries(
          Object.entries(properties('input')).filter(([name]) => name !== meta.parent!.column),
        ),
        required: meta.fields
          .filter(mustBeSent)
          .map((field) => field.name)
          .filter((name) => name !== meta.parent!.column),
        additionalProperties: false,
        examples: [Object.fromEntries(Object.entries(example).filter(([name]) => name !== meta.parent!.column))],
      },
    }),
    [`${meta.name}Update`]: {
      type: 'object',
      properties: properties('update'),
      additionalProperties: false,
      examples: [example],
    },
  };
}

/** The create body's schema of a resource under its parent: CommentCreateInPost. */
const nestedCreateSchema = (meta: ResourceMeta) => `${meta.name}CreateIn${meta.parent!.name}`;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${pascal(name)}` });
const message = { type: ['string', 'null'] };
const timestamp = { type: 'string', format: 'date-time' };
const envelope = (data: Schema): Schema => ({
  type: 'object',
  properties: { success: { const: true }, message, data, timestamp },
  required: ['success', 'message', 'data', 'timestamp'],
});
const json = (schema: Schema, contentType = 'application/json') => ({ [contentType]: { schema } });
const ERROR_RESPONSES: Record<string, string> = {
  '400': 'The body is not valid JSON, or is nested deeper than BODY_MAX_DEPTH',
  '401': 'No bearer token, or an invalid or expired one',
  '403': 'The account is disabled',
  '404': 'No such record',
  '409': 'A unique field already holds this value in another record',
  '413': 'The body or file is too large',
  '422': 'The request is invalid: every problem, by field or parameter',
  '429': 'Too many requests (Retry-After says when to try again)',
};
const MALFORMED_BODY = 'the body is not valid JSON, or is nested deeper than BODY_MAX_DEPTH';

/** The rate limiter's headers, on every answer of a rate-limited app; Retry-After on a 429. */
const HEADERS: Record<string, Schema> = {
  'X-RateLimit-Limit': { description: 'requests allowed per window', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'requests left in this window', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'seconds until the window resets', schema: { type: 'integer' } },
  'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer' } },
};
const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** Tags the app's own routes use, described; a resource's tag is described from its model. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  auth: 'Accounts, logins, tokens and passwords',
  health: 'Whether the service and its dependencies are up',
  docs: 'This document and the page that shows it',
  app: 'Routes without a name',
};
const UNDESCRIBED = 'Not described yet: describe the route with describeRoute() where it is defined.';
const errorResponse = (status: string | number, description = ERROR_RESPONSES[String(status)] ?? 'Error') => ({
  description,
  content: json(ref('Error')),
});

/** What `filter[field]` compares with: the type's own value, whatever the field's rules (the query string carries it as text). */
function filterValueSchema(field: FieldDefinition): Schema {
  return TYPES[field.type].schema({ ...field, rules: {} });
}

const ORDERED_OPERATORS = {
  gt: 'greater than',
  gte: 'greater than or equal to',
  lt: 'less than',
  lte: 'less than or equal to',
} as const;

/** `filter[field]` and `filter[field][op]`, one parameter each, so that generated clients can type them. */
function filterParameters(field: FieldDefinition): unknown[] {
  const value = filterValueSchema(field);
  const parameter = (suffix: string, description: string, schema: Schema) => ({
    name: `filter[${field.name}]${suffix}`,
    in: 'query',
    description,
    schema,
  });
  return [
    parameter('', `${field.name} equal to this`, value),
    parameter('[ne]', `${field.name} not equal to this`, value),
    ...(TYPES[field.type].family === 'boolean'
      ? []
      : Object.entries(ORDERED_OPERATORS).map(([operator, words]) =>
          parameter(`[${operator}]`, `${field.name} ${words} this`, value),
        )),
    parameter('[in]', `${field.name} equal to one of these, comma-separated (at most ${MAX_IN_VALUES})`, {
      type: 'string',
    }),
  ];
}

function listParameters(meta: ResourceMeta): unknown[] {
  const filterable = withOwner(meta.fields, meta.owner).filter((field) => TYPES[field.type].sortable);
  const sortable = ['id', 'created_at', 'updated_at', ...filterable.map((field) => field.name)];
  const searchable = meta.fields.filter((field) => TYPES[field.type].searchable).map((field) => field.name);
  return [
    {
      name: 'page',
      in: 'query',
      description: 'the page to return, from 1',
      schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 },
    },
    {
      name: 'per_page',
      in: 'query',
      description: `records per page, at most ${MAX_PER_PAGE}`,
      schema: { type: 'integer', minimum: 1, maximum: MAX_PER_PAGE, default: DEFAULT_PER_PAGE },
    },
    {
      name: 'sort',
      in: 'query',
      description: `comma-separated; - for descending. Allowed: ${sortable.join(', ')}`,
      schema: { type: 'string', examples: ['-created_at'] },
    },
    ...(searchable.length > 0
      ? [
          {
            name: 'search',
            in: 'query',
            description: `case-insensitive, in ${searchable.join(', ')}`,
            schema: { type: 'string', maxLength: 200 },
          },
        ]
      : []),
    ...filterable.flatMap(filterParameters),
    ...Object.entries(meta.relations ?? {})
      .filter(([, relation]) => relation.link !== undefined)
      .map(([name, relation]) => ({
        name: `filter[${name}]`,
        in: 'query',
        description: `records linked to any of these ${relation.model} ids, comma-separated (at most ${MAX_IN_VALUES})`,
        schema: { type: 'string', pattern: '^[1-9][0-9]*(,[1-9][0-9]*)*$', examples: ['1,2'] },
      })),
    {
      name: 'trashed',
      in: 'query',
      description: 'with: soft-deleted records too; only: soft-deleted records only',
      schema: { type: 'string', enum: ['with', 'only'] },
    },
  ];
}

function includeParameter(relations: NonNullable<ResourceMeta['relations']>): unknown {
  const names = Object.keys(relations);
  const bearer = names.filter((name) => relations[name]!.bearer);
  const one = `(${names.join('|')})`;
  return {
    name: 'include',
    in: 'query',
    description: `related records to embed, comma-separated: ${names.join(', ')}${bearer.length > 0 ? `; ${bearer.join(', ')} need${bearer.length === 1 ? 's' : ''} a bearer token (401 without)` : ''}`,
    schema: { type: 'string', pattern: `^${one}(,${one})*$`, examples: [names[0]] },
  };
}

/** What each resource action does, for its operation's description. */
const ACTION_DESCRIPTIONS: Record<ResourceMeta['action'], (meta: ResourceMeta) => string> = {
  index: (meta) =>
    `A page of ${meta.name} records: \`page\` and \`per_page\`, \`sort\`, \`search\`, \`filter[field]\` and \`filter[field][op]\`; soft-deleted records only with \`trashed\`.`,
  show: (meta) => `One ${meta.name} by id; a soft-deleted one is a 404.`,
  store: (meta) => `Creates a ${meta.name}. Every problem with the body is in the 422, by field.`,
  replace: (meta) => `Replaces the ${meta.name}: a field left out takes its default, or null.`,
  update: (meta) => `Changes the fields of the ${meta.name} that the body holds; the others keep their values.`,
  destroy: (meta) => `Soft-deletes the ${meta.name}: it leaves lists and reads until it is restored.`,
  restore: (meta) => `Brings back a soft-deleted ${meta.name}.`,
  forceDestroy: (meta) => `Deletes the ${meta.name} for good, soft-deleted or not.`,
  upload: (meta) => `Stores the uploaded file (the multipart field \`file\`) and sets ${meta.field} to its path.`,
};

/** The operation a resource action serves: its parameters, body and responses. */
function resourceOperation(
  meta: ResourceMeta,
  schemas: Record<string, Schema>,
): {
  description: string;
  parameters: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  optionalBearer?: boolean;
} {
  Object.assign(schemas, resourceSchemas(meta));
  const record = ref(meta.name);
  const parameters: unknown[] = [];
  const responses: Record<string, unknown> = {};
  let requestBody: unknown;
  const relations = meta.relations ?? {};
  const includable = Object.keys(relations).length > 0;
  const bearer = Object.values(relations).some((relation) => relation.bearer);
  const unique = meta.fields.some((field) => field.rules.unique);
  switch (meta.action) {
    case 'index':
      parameters.push(...listParameters(meta));
      if (includable) parameters.push(includeParameter(relations));
      responses['200'] = {
        description: `A page of ${meta.name} records`,
        content: json({
          type: 'object',
          properties: {
            success: { const: true },
            message,
            data: { type: 'array', items: record },
            pagination: ref('Pagination'),
            timestamp,
          },
          required: ['success', 'message', 'data', 'pagination', 'timestamp'],
        }),
      };
      responses['422'] = errorResponse(422);
      break;
    case 'store':
    case 'replace':
    case 'update':
      requestBody = {
        required: true,
        content: json(
          ref(
            meta.action === 'update'
              ? `${meta.name}Update`
              : meta.parent
                ? nestedCreateSchema(meta)
                : `${meta.name}Create`,
          ),
        ),
      };
      responses[meta.action === 'store' ? '201' : '200'] = {
        description: `The ${meta.name}`,
        content: json(envelope(record)),
      };
      if (unique) responses['409'] = errorResponse(409);
      responses['422'] = errorResponse(422);
      break;
    case 'upload': {
      const image = meta.fields.find((field) => field.name === meta.field)?.type === 'image';
      requestBody = {
        required: true,
        content: json(
          {
            type: 'object',
            properties: {
              file: {
                type: 'string',
                contentMediaType: image ? 'image/*' : 'application/octet-stream',
                description: `the ${image ? 'image' : 'file'} to store as ${meta.field}`,
              },
            },
            required: ['file'],
          },
          'multipart/form-data',
        ),
      };
      responses['200'] = {
        description: `The ${meta.name}, with ${meta.field} set to the stored file's path`,
        content: json(envelope(record)),
      };
      responses['413'] = errorResponse(413);
      responses['422'] = errorResponse(422);
      break;
    }
    case 'forceDestroy':
      responses['200'] = { description: `Permanently deleted`, content: json(envelope({ type: 'null' })) };
      break;
    case 'show':
      if (includable) parameters.push(includeParameter(relations));
      if (includable) responses['422'] = errorResponse(422);
      responses['200'] = { description: `The ${meta.name}`, content: json(envelope(record)) };
      break;
    default: // destroy, restore
      responses['200'] = {
        description: `The ${meta.name} ${meta.action === 'destroy' ? 'soft-deleted' : 'restored'}`,
        content: json(envelope(record)),
      };
  }
  // Under a parent, a missing parent is a 404 on every route.
  if ((meta.action !== 'index' && meta.action !== 'store') || meta.parent) responses['404'] = errorResponse(404);
  // An include of a protected resource needs the token, and so do its links in a body: the route
  // takes one, optionally.
  const includes = meta.action === 'index' || meta.action === 'show';
  const writes = meta.action === 'store' || meta.action === 'replace' || meta.action === 'update';
  const bearerLinks = Object.values(relations).some((relation) => relation.bearer && relation.link !== undefined);
  const optionalBearer = (includes && bearer) || (writes && bearerLinks);
  if (optionalBearer) responses['401'] = errorResponse(401);
  const described = meta.parent
    ? `${ACTION_DESCRIPTIONS[meta.action](meta)} Under one ${meta.parent.name}: ${meta.action === 'index' ? 'its records only' : `\`${meta.parent.column}\` is taken from the path`}; a missing or soft-deleted ${meta.parent.name} is a 404.`
    : ACTION_DESCRIPTIONS[meta.action](meta);
  return {
    description: meta.owner
      ? `${described} ${meta.name} records belong to the user who created them: each user reaches only their own (another's is a 404), an admin everyone's.`
      : described,
    parameters,
    requestBody,
    responses,
    optionalBearer,
  };
}

export interface OpenApiOptions {
  title: string;
  version: string;
  serverUrl?: string;
  /** Whether every route may answer 429 (RATE_LIMIT_ENABLED). */
  rateLimited?: boolean;
  /** Where the API's owners are found (APP_URL by default in the app). */
  contactUrl?: string;
  /** The API's licence as an SPDX expression (default: proprietary, as a private project's). */
  license?: string;
}

/**
 * @example
 * const document = openApiDocument(appRouters(services, routes), { title: 'my-api', version: '1.0.0', rateLimited: true });
 */
export function openApiDocument(routers: readonly Router[], options: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, Schema> = {
    Error: {
      type: 'object',
      properties: {
        success: { const: false },
        message: { type: 'string' },
        error_code: { type: 'string' },
        errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        retry_after: { type: 'integer' },
        request_id: { type: ['string', 'null'] },
        timestamp,
      },
      required: ['success', 'message', 'error_code', 'timestamp'],
    },
    Pagination: {
      type: 'object',
      properties: {
        page: { type: 'integer' },
        per_page: { type: 'integer' },
        total: { type: 'integer' },
        pages: { type: 'integer' },
        has_next: { type: 'boolean' },
        has_prev: { type: 'boolean' },
      },
      required: ['page', 'per_page', 'total', 'pages', 'has_next', 'has_prev'],
    },
  };
  const tags = new Map<string, string>();
  const usedHeaders = new Set<string>();
  const operationIds = new Set<string>();
  for (const { row, handler } of routeLayers(routers)) {
    const path = row.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/';
    const meta = (handler as Documented | undefined)?.[RESOURCE_META];
    const doc = (handler as Documented | undefined)?.[ROUTE_DOC];
    // Identifier-safe and unique (clients generated from the document name their methods after it): posts.index → posts_index.
    let operationId = (row.name ?? `${row.method.toLowerCase()} ${path}`).replace(/\W+/g, '_').replace(/^_+|_+$/g, '');
    for (let suffix = 2; operationIds.has(operationId); suffix++)
      operationId = `${operationId.replace(/_\d+$/, '')}_${suffix}`;
    operationIds.add(operationId);
    const tag = row.name?.split('.')[0] ?? 'app';
    const operation: Record<string, unknown> = {
      operationId,
      summary: row.name ?? `${row.method} ${path}`,
      description: UNDESCRIBED,
      tags: [tag],
    };
    if (meta) tags.set(tag, tags.get(tag) ?? `${meta.name} records`);
    const parameters: unknown[] = [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      description:
        match[1] === 'id' ? (meta?.parent ? `the ${meta.parent.name}'s id` : "the record's id") : `the ${match[1]}`,
      schema: match[1] === 'id' ? { type: 'integer', minimum: 1 } : { type: 'string' },
    }));
    let responses: Record<string, Record<string, unknown>> = {};
    let optionalBearer = false;
    if (meta) {
      const derived = resourceOperation(meta, schemas);
      optionalBearer = derived.optionalBearer ?? false;
      operation.description = derived.description;
      parameters.push(...derived.parameters);
      if (derived.requestBody) operation.requestBody = derived.requestBody;
      responses = derived.responses as Record<string, Record<string, unknown>>;
    }
    if (doc) {
      Object.assign(schemas, doc.schemas);
      if (doc.summary) operation.summary = doc.summary;
      if (doc.description) operation.description = doc.description;
      if (doc.tags) operation.tags = doc.tags;
      for (const [name, parameter] of Object.entries(doc.query ?? {}))
        parameters.push({
          name,
          in: 'query',
          required: parameter.required ?? false,
          description: parameter.description,
          schema: parameter.schema ?? { type: 'string' },
        });
      if (doc.body) {
        operation.requestBody = {
          required: doc.body.required ?? true,
          content: Object.fromEntries(
            [doc.body.contentType ?? 'application/json'].flat().map((type) => [type, { schema: doc.body!.schema }]),
          ),
        };
        responses['422'] ??= errorResponse(422);
      }
      for (const [status, response] of Object.entries(doc.responses ?? {})) {
        const schema = response.schema ?? (Number(status) >= 400 ? ref('Error') : envelope(response.data ?? {}));
        if (/^2/.test(status))
          for (const other of Object.keys(responses)) if (/^2/.test(other)) delete responses[other];
        responses[status] = {
          description: response.description,
          content: Object.fromEntries(
            [response.contentType ?? 'application/json'].flat().map((type) => [type, { schema }]),
          ),
        };
      }
    }
    if (!Object.keys(responses).some((status) => /^2/.test(status)))
      responses['200'] = { description: 'OK', content: json(envelope({})) };
    // Any body can be malformed (or nested too deep).
    if (operation.requestBody)
      responses['400'] = responses['400']
        ? { ...responses['400'], description: `${String(responses['400'].description)}; or ${MALFORMED_BODY}` }
        : errorResponse(400);
    if (row.protected) {
      operation.security = [{ bearer: [] }, { oauth2: [] }];
      responses['401'] ??= errorResponse(401);
      if (row.roles)
        responses['403'] = errorResponse(403, `The account is disabled, or lacks the ${row.roles.join(' or ')} role`);
    } else if (optionalBearer) {
      // Anyone may call it; some includes or links need the token ({} is "no security").
      operation.security = [{}, { bearer: [] }, { oauth2: [] }];
    } else {
      operation.security = [];
    }
    if (options.rateLimited) responses['429'] ??= errorResponse(429);
    for (const [status, response] of Object.entries(responses)) {
      const headers = options.rateLimited ? ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'] : [];
      if (status === '429') headers.push('Retry-After');
      for (const name of headers) usedHeaders.add(name);
      if (headers.length > 0) response.headers = Object.fromEntries(headers.map((name) => [name, headerRef(name)]));
    }
    if (parameters.length) operation.parameters = parameters;
    operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
    for (const name of operation.tags as string[])
      if (!tags.has(name)) tags.set(name, TAG_DESCRIPTIONS[name] ?? `The ${name} routes`);
    (paths[path] ??= {})[row.method.toLowerCase()] = operation;
  }
  const components = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [pascal(name), schema]));
  // A relation to a model the document has no schema for (no routes of its own): any object.
  for (const name of referencedSchemas(components))
    components[name] ??= { type: 'object', additionalProperties: true, description: `a ${name} record` };
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      description: `The ${options.title} API: JSON in and out, every answer in an envelope (success, message, data), errors with an error_code.`,
      contact: { name: options.title, ...(options.contactUrl ? { url: options.contactUrl } : {}) },
      license: options.license
        ? { name: options.license, identifier: options.license }
        : { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: options.serverUrl ?? '/', description: options.serverUrl ? 'the API' : 'this server' }],
    tags: [...tags].map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: components,
      ...(usedHeaders.size > 0
        ? { headers: Object.fromEntries(Object.entries(HEADERS).filter(([name]) => usedHeaders.has(name))) }
        : {}),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        // "Authorize" in /docs: the form login answers the OAuth2 password grant with the bare token
        // response, and the refresh_token grant on the same endpoint.
        oauth2: {
          type: 'oauth2',
          flows: { password: { tokenUrl: '/api/auth/login', refreshUrl: '/api/auth/login', scopes: {} } },
        },
      },
    },
  };
}

/** The component schema names that `$ref`s inside the schemas point at. */
function referencedSchemas(schemas: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/schemas/'))
          names.add(inner.slice('#/components/schemas/'.length));
        else walk(inner);
      }
    }
  };
  walk(schemas);
  return names;
}
