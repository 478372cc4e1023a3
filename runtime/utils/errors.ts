// The one base of the errors fastpy throws on purpose, as Lucid's errors are: each carries a
// stable `code` to test and branch on, and a message written for people. Two families, one rule:
// a `…Exception` is an HTTP answer (AppError: its status, and its code as the envelope's
// error_code); every other failure — a facade's, the settings', a console task's — is a `…Error`
// with an `E_…` code.

/**
 * @example
 * try { await Cache.get('k') } catch (error) { if (error instanceof FastpyError && error.code === 'E_CACHE') … }
 */
export class FastpyError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}
