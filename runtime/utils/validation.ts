// Request-body validation on yup schemas: every problem reported at once, by field, as a 422.
import * as yup from 'yup';
import { ValidationException } from './exceptions.js';

export interface ValidateOptions {
  /** Let fields the schema does not name through (dropped from the result) instead of refusing them. */
  allowUnknown?: boolean;
}

/**
 * Checks a request body against an object schema. Unknown fields are a 422 naming them (so a client
 * cannot slip in `is_active` or `id`); so is anything that is not a JSON object.
 *
 * @example
 * const input = await validate(yup.object({ email: yup.string().email().required() }), ctx.request.body);
 */
export async function validate<S extends yup.AnyObjectSchema>(
  schema: S,
  body: unknown,
  options: ValidateOptions = {},
): Promise<yup.InferType<S>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationException('The request body must be a JSON object', {
      errors: { body: ['must be a JSON object'] },
    });
  }
  const known = new Set(Object.keys(schema.fields));
  const unknown = Object.keys(body).filter((field) => !known.has(field));
  if (unknown.length > 0 && !options.allowUnknown) {
    throw new ValidationException(`Unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      errors: Object.fromEntries(unknown.map((field) => [field, ['is not an allowed field']])),
    });
  }
  return schema.validate(body, { abortEarly: false, stripUnknown: true });
}
