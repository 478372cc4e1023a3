// The OpenAPI 3.1 document of the app, built from what serves the requests: every route of the route
// table (so `fastpy route:list` and the document agree), the bearer scheme and the OAuth2 password
// flow for protected routes, and, for generated resources, schemas derived from the same field
// definitions that validate their requests.
import type Router from '@koa/router';
import { FORMAT_PATTERNS } from '../fields/formats.js';
import { TYPES, type FieldDefinition } from '../fields/spec.js';
import { routeLayers } from '../routes/route-table.js';

type Schema = Record<string, unknown>;

/** What a resource controller's handlers serve: set by ResourceController for each of its handlers. */
export interface ResourceMeta {
  name: string;
  fields: readonly FieldDefinition[];
  action: 'index' | 'show' | 'store' | 'replace' | 'update' | 'destroy' | 'restore' | 'forceDestroy' | 'upload';
  /** The file or image field an `upload` action stores. */
  field?: string;
  /** What `?include=` accepts. */
  relations?: readonly string[];
  /** Those of them whose records need a bearer token (an include of one without it is a 401). */
  bearerRelations?: readonly string[];
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
  body?: { schema: Schema; contentType?: string; required?: boolean };
  /** Responses by status (a 2xx replaces the default `200 OK`). */
  responses?: Record<number, ResponseDoc>;
  /** Named schemas the route refers to with `schemaRef(name)`, added to `components.schemas`. */
  schemas?: Record<string, Schema>;
}

const resourceHandlers = new WeakMap<object, ResourceMeta>();
const routeDocs = new WeakMap<object, RouteDoc>();

/** Marks a handler as a resource action (ResourceController does it for its own). */
export function documentHandler(handler: object, meta: ResourceMeta): void {
  resourceHandlers.set(handler, meta);
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
  const previous = routeDocs.get(handler);
  routeDocs.set(handler, previous ? { ...previous, ...doc, responses: { ...previous.responses, ...doc.responses }, schemas: { ...previous.schemas, ...doc.schemas } } : doc);
  return handler;
}

/** A reference to a schema in `components.schemas` (a resource's `Post`, `PostCreate`…, or one a RouteDoc adds). */
export const schemaRef = (name: string): Schema => ref(name);


// Formats as the request validation checks them (fields/formats.ts): the same patterns, so the
// document never accepts what the API refuses. (JSON Schema's "time" format wants a zone; ours has none.)
const FORMATS: Partial<Record<FieldDefinition['type'], Schema>> = {
  email: { format: 'email' },
  url: { format: 'uri' },
  uuid: { format: 'uuid' },
  datetime: { format: 'date-time' },
  date: { format: 'date' },
  time: { pattern: FORMAT_PATTERNS.time },
  ip: { anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
  color: { pattern: FORMAT_PATTERNS.color },
  slug: { pattern: FORMAT_PATTERNS.slug },
  phone: { pattern: FORMAT_PATTERNS.phone },
  bigint: { pattern: '^-?\\d+$' },
};

/** A field's JSON Schema, as the API accepts and returns it. */
export function fieldSchema(field: FieldDefinition): Schema {
  const info = TYPES[field.type];
  const rules = field.rules;
  let schema: Schema;
  switch (info.family) {
    case 'integer':
      schema = field.type === 'bigint' ? { type: 'string' } : { type: 'integer' };
      break;
    case 'float':
      schema = { type: 'number' };
      break;
    case 'decimal':
      schema = { type: 'string', pattern: `^-?\\d{1,${info.decimal!.integerDigits}}(\\.\\d{1,${info.decimal!.scale}})?$` };
      break;
    case 'boolean':
      schema = { type: 'boolean' };
      break;
    case 'json':
      schema = { type: ['object', 'array'] };
      break;
    default:
      schema = { type: 'string' };
  }
  Object.assign(schema, FORMATS[field.type]);
  if (schema.type === 'string' && info.family !== 'decimal' && field.type !== 'bigint') {
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
  if (rules.foreign) schema.description = `the id of a ${rules.foreign.table} record (${rules.foreign.table}.${rules.foreign.column})`;
  if (rules.default !== undefined && rules.default !== 'now') schema.default = rules.default;
  schema.examples = [JSON.parse(info.example) as unknown];
  if (!rules.required) {
    if (Array.isArray(schema.type)) schema.type = [...(schema.type as string[]), 'null'];
    else if (schema.type) schema.type = [schema.type, 'null'];
  }
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
  const properties = Object.fromEntries(meta.fields.map((field) => [field.name, fieldSchema(field)]));
  const example = Object.fromEntries(meta.fields.map((field) => [field.name, fieldExample(field)]));
  const timestamps = { type: 'string', format: 'date-time' };
  return {
    [meta.name]: {
      type: 'object',
      properties: { id: { type: 'integer' }, ...properties, created_at: timestamps, updated_at: timestamps, deleted_at: { type: ['string', 'null'], format: 'date-time' } },
      required: ['id', ...meta.fields.map((field) => field.name), 'created_at', 'updated_at', 'deleted_at'],
    },
    [`${meta.name}Create`]: { type: 'object', properties, required: meta.fields.filter((field) => field.rules.required && field.rules.default === undefined).map((field) => field.name), additionalProperties: false, examples: [example] },
    [`${meta.name}Update`]: { type: 'object', properties, additionalProperties: false, examples: [example] },
  };
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${pascal(name)}` });
const message = { type: ['string', 'null'] };
const timestamp = { type: 'string', format: 'date-time' };
const envelope = (data: Schema): Schema => ({ type: 'object', properties: { success: { const: true }, message, data, timestamp }, required: ['success', 'message', 'data', 'timestamp'] });
const json = (schema: Schema, contentType = 'application/json') => ({ [contentType]: { schema } });
const ERROR_RESPONSES: Record<string, string> = {
  '400': 'The request cannot be carried out (e.g. an invalid or used one-time token)',
  '401': 'No bearer token, or an invalid or expired one',
  '403': 'The account is disabled',
  '404': 'No such record',
  '409': 'A unique field already holds this value in another record',
  '413': 'The body or file is too large',
  '422': 'The request is invalid: every problem, by field or parameter',
  '429': 'Too many requests (Retry-After says when to try again)',
};
const errorResponse = (status: string | number, description = ERROR_RESPONSES[String(status)] ?? 'Error') => ({ description, content: json(ref('Error')) });

function listParameters(meta: ResourceMeta): unknown[] {
  const sortable = ['id', 'created_at', 'updated_at', ...meta.fields.filter((field) => TYPES[field.type].sortable).map((field) => field.name)];
  return [
    { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
    { name: 'per_page', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
    { name: 'sort', in: 'query', description: `comma-separated; - for descending. Allowed: ${sortable.join(', ')}`, schema: { type: 'string', examples: [`-created_at`] } },
    { name: 'search', in: 'query', description: `case-insensitive, in ${meta.fields.filter((field) => TYPES[field.type].searchable).map((field) => field.name).join(', ') || 'no field'}`, schema: { type: 'string' } },
    ...meta.fields.filter((field) => TYPES[field.type].sortable).map((field) => ({ name: `filter[${field.name}]`, in: 'query', description: `equal to; or filter[${field.name}][gt|gte|lt|lte|ne|in]`, schema: { type: 'string' } })),
    { name: 'trashed', in: 'query', schema: { type: 'string', enum: ['with', 'only'] } },
  ];
}

const includeParameter = (relations: readonly string[], bearer: readonly string[]) => ({
  name: 'include',
  in: 'query',
  description: `related records to embed, comma-separated: ${relations.join(', ')}${bearer.length > 0 ? `; ${bearer.join(', ')} need${bearer.length === 1 ? 's' : ''} a bearer token (401 without)` : ''}`,
  schema: { type: 'string' },
});

/** The operation a resource action serves: its parameters, body and responses. */
function resourceOperation(meta: ResourceMeta, schemas: Record<string, Schema>): { parameters: unknown[]; requestBody?: unknown; responses: Record<string, unknown>; optionalBearer?: boolean } {
  Object.assign(schemas, resourceSchemas(meta));
  const record = ref(meta.name);
  const parameters: unknown[] = [];
  const responses: Record<string, unknown> = {};
  let requestBody: unknown;
  const relations = meta.relations ?? [];
  const bearer = meta.bearerRelations ?? [];
  const unique = meta.fields.some((field) => field.rules.unique);
  switch (meta.action) {
    case 'index':
      parameters.push(...listParameters(meta));
      if (relations.length) parameters.push(includeParameter(relations, bearer));
      responses['200'] = {
        description: `A page of ${meta.name} records`,
        content: json({ type: 'object', properties: { success: { const: true }, message, data: { type: 'array', items: record }, pagination: ref('Pagination'), timestamp }, required: ['success', 'message', 'data', 'pagination', 'timestamp'] }),
      };
      responses['422'] = errorResponse(422);
      break;
    case 'store':
    case 'replace':
    case 'update':
      requestBody = { required: true, content: json(ref(meta.action === 'update' ? `${meta.name}Update` : `${meta.name}Create`)) };
      responses[meta.action === 'store' ? '201' : '200'] = { description: `The ${meta.name}`, content: json(envelope(record)) };
      if (unique) responses['409'] = errorResponse(409);
      responses['422'] = errorResponse(422);
      break;
    case 'upload': {
      const image = meta.fields.find((field) => field.name === meta.field)?.type === 'image';
      requestBody = {
        required: true,
        content: json({ type: 'object', properties: { file: { type: 'string', contentMediaType: image ? 'image/*' : 'application/octet-stream', description: `the ${image ? 'image' : 'file'} to store as ${meta.field}` } }, required: ['file'] }, 'multipart/form-data'),
      };
      responses['200'] = { description: `The ${meta.name}, with ${meta.field} set to the stored file's path`, content: json(envelope(record)) };
      responses['413'] = errorResponse(413);
      responses['422'] = errorResponse(422);
      break;
    }
    case 'forceDestroy':
      responses['200'] = { description: `Permanently deleted`, content: json(envelope({ type: 'null' })) };
      break;
    case 'show':
      if (relations.length) parameters.push(includeParameter(relations, bearer));
      if (relations.length) responses['422'] = errorResponse(422);
      responses['200'] = { description: `The ${meta.name}`, content: json(envelope(record)) };
      break;
    default: // destroy, restore
      responses['200'] = { description: `The ${meta.name} ${meta.action === 'destroy' ? 'soft-deleted' : 'restored'}`, content: json(envelope(record)) };
  }
  if (meta.action !== 'index' && meta.action !== 'store') responses['404'] = errorResponse(404);
  // An include of a protected resource needs the token: the route takes one, optionally.
  const includes = meta.action === 'index' || meta.action === 'show';
  if (includes && bearer.length > 0) responses['401'] = errorResponse(401);
  return { parameters, requestBody, responses, optionalBearer: includes && bearer.length > 0 };
}

export interface OpenApiOptions {
  title: string;
  version: string;
  serverUrl?: string;
  /** Whether every route may answer 429 (RATE_LIMIT_ENABLED). */
  rateLimited?: boolean;
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
      properties: { page: { type: 'integer' }, per_page: { type: 'integer' }, total: { type: 'integer' }, pages: { type: 'integer' }, has_next: { type: 'boolean' }, has_prev: { type: 'boolean' } },
      required: ['page', 'per_page', 'total', 'pages', 'has_next', 'has_prev'],
    },
  };
  const operationIds = new Set<string>();
  for (const { row, handler } of routeLayers(routers)) {
    const path = row.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/';
    const meta = handler ? resourceHandlers.get(handler) : undefined;
    const doc = handler ? routeDocs.get(handler) : undefined;
    // Identifier-safe and unique (clients generated from the document name their methods after it): posts.index → posts_index.
    let operationId = (row.name ?? `${row.method.toLowerCase()} ${path}`).replace(/\W+/g, '_').replace(/^_+|_+$/g, '');
    for (let suffix = 2; operationIds.has(operationId); suffix++) operationId = `${operationId.replace(/_\d+$/, '')}_${suffix}`;
    operationIds.add(operationId);
    const operation: Record<string, unknown> = { operationId, summary: row.name ?? `${row.method} ${path}`, tags: [row.name?.split('.')[0] ?? 'app'] };
    const parameters: unknown[] = [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: match[1] === 'id' ? { type: 'integer', minimum: 1 } : { type: 'string' } }));
    let responses: Record<string, unknown> = {};
    let optionalBearer = false;
    if (meta) {
      const derived = resourceOperation(meta, schemas);
      optionalBearer = derived.optionalBearer ?? false;
      parameters.push(...derived.parameters);
      if (derived.requestBody) operation.requestBody = derived.requestBody;
      responses = derived.responses;
    }
    if (doc) {
      Object.assign(schemas, doc.schemas);
      if (doc.summary) operation.summary = doc.summary;
      if (doc.description) operation.description = doc.description;
      if (doc.tags) operation.tags = doc.tags;
      if (doc.body) {
        operation.requestBody = { required: doc.body.required ?? true, content: json(doc.body.schema, doc.body.contentType) };
        responses['422'] ??= errorResponse(422);
      }
      for (const [status, response] of Object.entries(doc.responses ?? {})) {
        const schema = response.schema ?? (Number(status) >= 400 ? ref('Error') : envelope(response.data ?? {}));
        if (/^2/.test(status)) for (const other of Object.keys(responses)) if (/^2/.test(other)) delete responses[other];
        responses[status] = { description: response.description, content: Object.fromEntries([response.contentType ?? 'application/json'].flat().map((type) => [type, { schema }])) };
      }
    }
    if (!Object.keys(responses).some((status) => /^2/.test(status))) responses['200'] = { description: 'OK', content: json(envelope({})) };
    if (row.protected) {
      operation.security = [{ bearer: [] }, { oauth2: [] }];
      responses['401'] ??= errorResponse(401);
    } else if (optionalBearer) {
      // Anyone may call it; some includes need the token ({} is "no security").
      operation.security = [{}, { bearer: [] }, { oauth2: [] }];
    }
    if (options.rateLimited) responses['429'] ??= errorResponse(429);
    if (parameters.length) operation.parameters = parameters;
    operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
    (paths[path] ??= {})[row.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [pascal(name), schema])),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        // "Authorize" in /docs: the form login answers the OAuth2 password grant with the bare token response.
        oauth2: { type: 'oauth2', flows: { password: { tokenUrl: '/api/auth/login', scopes: {} } } },
      },
    },
  };
}
