// Checks request and response bodies against an OpenAPI 3.1 document's schemas (Ajv, JSON Schema
// 2020-12, with formats): what the tests use to hold the running app to what it documents.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

type Json = Record<string, any>;
const COMPONENTS = 'https://fastpy.invalid/components';
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

/** `#/components/schemas/X` → the components schema added under its own id. */
function rebase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebase);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === '$ref' && typeof inner === 'string'
          ? inner.replace('#/components/schemas/', `${COMPONENTS}#/$defs/`)
          : rebase(inner),
      ]),
    );
  }
  return value;
}

export interface OpenApiChecker {
  /** The operation at a document path (`/api/articles/{id}`) and method, or undefined. */
  operation(method: string, path: string): Json | undefined;
  /** Problems of a response body for that operation and status (none when it validates); a status the operation does not document is a problem. */
  response(method: string, path: string, status: number, body: unknown, contentType?: string): string[];
  /** Problems of a value against a named component schema. */
  schema(name: string, value: unknown): string[];
  /** A value for a schema, as a client reading the document would build it: its example, default, const or first enum value, else one from its type. */
  example(schema: Json): unknown;
}

export function openApiChecker(document: Json): OpenApiChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: COMPONENTS, $defs: rebase(document.components?.schemas ?? {}) });
  const compiled = new Map<unknown, ValidateFunction>();
  const problems = (schema: unknown, value: unknown) => {
    let validate = compiled.get(schema);
    if (!validate) compiled.set(schema, (validate = ajv.compile(rebase(schema) as Json)));
    return validate(value)
      ? []
      : (validate.errors ?? []).map(
          (error) => `${error.instancePath || '(body)'} ${error.message} ${JSON.stringify(error.params)}`,
        );
  };
  const operation = (method: string, path: string) =>
    document.paths?.[path]?.[method.toLowerCase()] as Json | undefined;
  return {
    operation,
    response(method, path, status, body, contentType = 'application/json') {
      const found = operation(method, path);
      if (!found) return [`${method} ${path} is not documented`];
      const response = found.responses?.[String(status)];
      if (!response)
        return [
          `${method} ${path} answered ${status}, which it does not document (${Object.keys(found.responses ?? {}).join(', ')})`,
        ];
      const schema = response.content?.[contentType]?.schema;
      if (!schema) return [`${method} ${path} ${status} documents no ${contentType} body`];
      return problems(schema, body).map((problem) => `${method} ${path} ${status}: ${problem}`);
    },
    schema(name, value) {
      return problems({ $ref: `#/components/schemas/${name}` }, value);
    },
    example(schema) {
      return example(document, schema);
    },
  };
}

function example(document: Json, schema: Json): unknown {
  if (typeof schema.$ref === 'string')
    return example(document, document.components.schemas[schema.$ref.split('/').at(-1)!]);
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ('default' in schema) return schema.default;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch ([schema.type].flat()[0]) {
    case 'object':
      return Object.fromEntries(
        Object.entries((schema.properties ?? {}) as Record<string, Json>).map(([name, inner]) => [
          name,
          example(document, inner),
        ]),
      );
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return schema.format === 'email' ? 'ada@example.com' : 'string'.padEnd(schema.minLength ?? 0, 'x');
  }
}
