// What a request gives back: the response (status, headers, body; json(), throw()), and the errors.
import { FastpyError } from '../../utils/errors.js';

/** A request failed: no answer, or (with `throw()`) an answer with an error status, in `response`. */
export class HttpError extends FastpyError {
  constructor(
    message: string,
    readonly response?: HttpResponse,
    code = 'E_HTTP',
  ) {
    super(code, message);
  }
}

/** The request was refused before it was sent (the address guard, a bad URL). */
export class HttpRequestRefusedError extends HttpError {
  constructor(message: string) {
    super(message, undefined, 'E_HTTP_REFUSED');
  }
}

export class HttpResponse {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: string,
    readonly url: string,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  successful(): boolean {
    return this.ok;
  }

  failed(): boolean {
    return this.status >= 400;
  }

  clientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }

  serverError(): boolean {
    return this.status >= 500;
  }

  text(): string {
    return this.body;
  }

  /** The body parsed as JSON (an HttpError naming the URL when it is not JSON). */
  // `any` unless the caller names the body's type, as fetch's Response.json() does.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json<T = any>(): T {
    try {
      return JSON.parse(this.body) as T;
    } catch {
      throw new HttpError(
        `the response of ${this.url} (HTTP ${this.status}) is not JSON: ${JSON.stringify(this.body.slice(0, 120))}`,
        this,
      );
    }
  }

  header(name: string): string | null {
    return this.headers.get(name);
  }

  /** Throws an HttpError for a 4xx/5xx; returns the response otherwise. */
  throw(): this {
    if (this.failed()) throw new HttpError(`HTTP ${this.status} from ${this.url}`, this);
    return this;
  }
}
