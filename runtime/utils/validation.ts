// Request-body validation on yup schemas: every problem reported at once, by field, as a 422.
import * as yup from 'yup';
import { fieldErrors, ValidationException, type FieldErrors } from './exceptions.js';

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
  const unknown = options.allowUnknown ? [] : Object.keys(body).filter((field) => !known.has(field));
  const errors = fieldErrors();
  for (const field of unknown) errors[field] = ['is not an allowed field'];
  // yup sees the known fields only (unknown ones are refused, or dropped with allowUnknown): a key
  // such as "constructor" or "__proto__" never reaches it.
  const knownOnly = Object.fromEntries(Object.entries(body).filter(([field]) => known.has(field)));
  try {
    const value = await schema.validate(knownOnly, { abortEarly: false });
    if (unknown.length === 0) return value;
  } catch (error) {
    addYupErrors(errors, error);
  }
  const message =
    Object.keys(errors).length === unknown.length
      ? `Unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`
      : 'Validation failed';
  throw new ValidationException(message, { errors });
}

/** Adds a yup ValidationError's problems to `errors`, by field (`body` for the whole); rethrows anything else. */
export function addYupErrors(errors: FieldErrors, error: unknown): void {
  if (!(error instanceof yup.ValidationError)) throw error;
  for (const inner of error.inner.length > 0 ? error.inner : [error])
    (errors[inner.path || 'body'] ??= []).push(...inner.errors);
}
