// The one base of the errors fastpy throws on purpose, as Lucid's errors are: each carries a
// stable `code` to test and branch on, and a message written for people. Two families, one rule:
// a `…Exception` is an HTTP answer (AppError: its status, and its code as the envelope's
// error_code); every other failure — a facade's, the settings', a console task's — is a `…Error`
// with an `E_…` code.

/**
 * @example
 * try { await Cache.get('k') } catch (error) { if (error instanceof FastpyError && error.code === 'E_CACHE') … }
 */
/** Marks fastpy's errors, whichever copy of the class made them (Symbol.for: one symbol per process). */
const BRAND = Symbol.for('fastpy-runtime.error');

export class FastpyError extends Error {
  readonly code: string;

  /**
   * `instanceof` by prototype, and by class name among fastpy's errors: a project's copy of a class
   * (fastpy eject utils/exceptions: its AppError, its ValidationException) or a second copy of the
   * package is the same class to the runtime's checks, so the error handler answers with the copy's
   * status and code.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null || !(BRAND in value)) return false;
    for (let proto: unknown = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
      const ctor = (proto as { constructor?: unknown }).constructor;
      if (Object.hasOwn(proto as object, 'constructor') && typeof ctor === 'function' && ctor.name === this.name)
        return true;
    }
    return false;
  }

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}
Object.defineProperty(FastpyError.prototype, BRAND, { value: true });
