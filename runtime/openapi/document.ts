// The OpenAPI 3.1 document of the app, built from what serves the requests: every route of the route
// table (so `fastpy route:list` and the document agree), the bearer scheme and the OAuth2 password
// flow for protected routes, and, for generated resources, schemas derived from the same field
// definitions that validate their requests.
import type Router from '@koa/router';
import { FORMAT_PATTERNS } from '../fields/formats.js';
import { TYPES, type FieldDefinition } from '../fields/spec.js';
import { routeLayers } from '../routes/route-table.js';

/** What a resource controller's handlers serve: set by ResourceController for each of its handlers. */
export interface ResourceMeta {
  name: string;
  fields: readonly FieldDefinition[];
  action: 'index' | 'show' | 'store' | 'replace' | 'update' | 'destroy' | 'restore' | 'forceDestroy' | 'upload';
}

const resourceHandlers = new WeakMap<object, ResourceMeta>();

/** Marks a handler as a resource action (ResourceController does it for its own). */
export function documentHandler(handler: object, meta: ResourceMeta): void {
  resourceHandlers.set(handler, meta);
}

type Schema = Record<string, unknown>;

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

const pascal = (name: string) => name.replace(/(^|[_-])(\w)/g, (_match, _sep, letter: string) => letter.toUpperCase());

function resourceSchemas(meta: ResourceMeta): Record<string, Schema> {
  const properties = Object.fromEntries(meta.fields.map((field) => [field.name, fieldSchema(field)]));
  const timestamps = { type: 'string', format: 'date-time' };
  return {
    [meta.name]: {
      type: 'object',
      properties: { id: { type: 'integer' }, ...properties, created_at: timestamps, updated_at: timestamps, deleted_at: { type: ['string', 'null'], format: 'date-time' } },
      required: ['id', ...meta.fields.map((field) => field.name), 'created_at', 'updated_at', 'deleted_at'],
    },
    [`${meta.name}Create`]: { type: 'object', properties, required: meta.fields.filter((field) => field.rules.required && field.rules.default === undefined).map((field) => field.name), additionalProperties: false },
    [`${meta.name}Update`]: { type: 'object', properties, additionalProperties: false },
  };
}

const envelope = (data: Schema): Schema => ({ type: 'object', properties: { success: { const: true }, message: { type: 'string' }, data }, required: ['success', 'data'] });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const ERROR_RESPONSES: Record<string, string> = { '401': 'No bearer token, or an invalid or expired one', '404': 'No such record', '409': 'Conflicts with a record (a unique field)', '422': 'The request is invalid: every problem, by field or parameter', '429': 'Too many requests' };
const errorResponse = (status: string) => ({ description: ERROR_RESPONSES[status], content: json(ref('Error')) });

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

export interface OpenApiOptions {
  title: string;
  version: string;
  serverUrl?: string;
}

/**
 * @example
 * const document = openApiDocument(appRouters(services, routes), { title: 'my-api', version: '1.0.0' });
 */
export function openApiDocument(routers: readonly Router[], options: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, Schema> = {
    Error: { type: 'object', properties: { success: { const: false }, message: { type: 'string' }, error_code: { type: 'string' }, errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } }, required: ['success', 'message'] },
    Pagination: { type: 'object', properties: { page: { type: 'integer' }, per_page: { type: 'integer' }, total: { type: 'integer' }, pages: { type: 'integer' } } },
  };
  for (const { row, handler } of routeLayers(routers)) {
    const path = row.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/';
    const meta = handler ? resourceHandlers.get(handler) : undefined;
    const operation: Record<string, unknown> = { operationId: row.name ?? `${row.method.toLowerCase()}_${path}`, summary: row.name ?? `${row.method} ${path}`, tags: [row.name?.split('.')[0] ?? 'app'] };
    const parameters: unknown[] = [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: match[1] === 'id' ? { type: 'integer', minimum: 1 } : { type: 'string' } }));
    const responses: Record<string, unknown> = {};
    if (meta) {
      Object.assign(schemas, resourceSchemas(meta));
      const record = ref(meta.name);
      if (meta.action === 'index') {
        parameters.push(...listParameters(meta));
        responses['200'] = { description: `A page of ${meta.name} records`, content: json({ type: 'object', properties: { success: { const: true }, data: { type: 'array', items: record }, pagination: ref('Pagination') }, required: ['success', 'data', 'pagination'] }) };
        responses['422'] = errorResponse('422');
      } else if (meta.action === 'store' || meta.action === 'replace' || meta.action === 'update') {
        operation.requestBody = { required: true, content: json(ref(meta.action === 'update' ? `${meta.name}Update` : `${meta.name}Create`)) };
        responses[meta.action === 'store' ? '201' : '200'] = { description: `The ${meta.name}`, content: json(envelope(record)) };
        Object.assign(responses, { '409': errorResponse('409'), '422': errorResponse('422') });
      } else if (meta.action === 'destroy' || meta.action === 'forceDestroy') {
        responses['200'] = { description: 'Deleted', content: json(envelope({ type: ['object', 'null'] })) };
      } else {
        responses['200'] = { description: `The ${meta.name}`, content: json(envelope(record)) };
      }
      if (meta.action !== 'index' && meta.action !== 'store') responses['404'] = errorResponse('404');
    } else {
      responses['200'] = { description: 'OK', content: json(envelope({})) };
    }
    if (row.protected) {
      operation.security = [{ bearer: [] }, { oauth2: [] }];
      responses['401'] = errorResponse('401');
    }
    responses['429'] = errorResponse('429');
    if (parameters.length) operation.parameters = parameters;
    operation.responses = responses;
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
        oauth2: { type: 'oauth2', flows: { password: { tokenUrl: '/api/auth/login', refreshUrl: '/api/auth/refresh', scopes: {} } } },
      },
    },
  };
}
