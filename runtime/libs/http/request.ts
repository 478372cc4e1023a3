// A request being built — token, basic auth, headers, base URL, timeout, retries — and sent
// through the client; the fake's request and reply shapes.
import type { HttpClient } from './manager.js';
import { HttpRequestRefusedError, type HttpResponse } from './response.js';

export interface FakeReply {
  status?: number;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}
export type FakeHandler = FakeReply | ((request: RecordedRequest) => FakeReply | Promise<FakeReply>);

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** The body parsed as JSON, when it was JSON. */
  json: unknown;
}

// --- requests -----------------------------------------------------------------------------------

export interface RequestOptions {
  /** Query string parameters (arrays repeat the key). */
  query?: Record<string, string | number | boolean | ReadonlyArray<string | number> | undefined>;
  /** A JSON body. */
  json?: unknown;
  /** A form body (application/x-www-form-urlencoded). */
  form?: Record<string, string | number | boolean>;
  /** A raw body. */
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

export interface BuilderState {
  baseUrl: string | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  allowPrivate: boolean;
  maxRedirects: number;
}

export const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An immutable request builder: each `with…` returns a new one. */
export class PendingRequest {
  constructor(
    private readonly client: HttpClient,
    private readonly state: BuilderState,
  ) {}

  #with(changes: Partial<BuilderState>): PendingRequest {
    return new PendingRequest(this.client, {
      ...this.state,
      ...changes,
      headers: { ...this.state.headers, ...changes.headers },
    });
  }

  /** `Authorization: Bearer <token>` (or another scheme). */
  withToken(token: string, type = 'Bearer'): PendingRequest {
    return this.#with({ headers: { authorization: `${type} ${token}` } });
  }

  withBasicAuth(username: string, password: string): PendingRequest {
    return this.#with({
      headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
    });
  }

  withHeaders(headers: Record<string, string>): PendingRequest {
    return this.#with({
      headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
    });
  }

  acceptJson(): PendingRequest {
    return this.withHeaders({ accept: 'application/json' });
  }

  /** Relative URLs are resolved against this. */
  baseUrl(url: string): PendingRequest {
    return this.#with({ baseUrl: url });
  }

  /** Seconds before the request (each attempt) is abandoned. */
  timeout(seconds: number): PendingRequest {
    if (!(seconds > 0)) throw new TypeError('Http.timeout(): seconds must be above 0');
    return this.#with({ timeoutMs: seconds * 1000 });
  }

  /** Retries after a connection error, a timeout, a 408/425/429 or a 5xx, waiting `delayMs`, doubled each time (or retry-after). */
  retry(times: number, delayMs = 100): PendingRequest {
    if (!Number.isInteger(times) || times < 0) throw new TypeError('Http.retry(): times must be a whole number');
    return this.#with({ retries: times, retryDelayMs: delayMs });
  }

  /** Lets this request reach private, loopback and link-local addresses (internal services). */
  allowPrivateNetwork(): PendingRequest {
    return this.#with({ allowPrivate: true });
  }

  get(url: string, query?: RequestOptions['query']): Promise<HttpResponse> {
    return this.send('GET', url, { query });
  }

  head(url: string, query?: RequestOptions['query']): Promise<HttpResponse> {
    return this.send('HEAD', url, { query });
  }

  post(url: string, json?: unknown): Promise<HttpResponse> {
    return this.send('POST', url, { json });
  }

  put(url: string, json?: unknown): Promise<HttpResponse> {
    return this.send('PUT', url, { json });
  }

  patch(url: string, json?: unknown): Promise<HttpResponse> {
    return this.send('PATCH', url, { json });
  }

  delete(url: string, json?: unknown): Promise<HttpResponse> {
    return this.send('DELETE', url, { json });
  }

  /** Any method, with any body (json, form or raw). */
  async send(method: string, url: string, options: RequestOptions = {}): Promise<HttpResponse> {
    let target: URL;
    try {
      target = new URL(url, this.state.baseUrl);
    } catch {
      throw new HttpRequestRefusedError(
        `Http: "${url}" is not a URL${this.state.baseUrl ? '' : ' (a relative URL needs HTTP_BASE_URL, or baseUrl() on the request)'}`,
      );
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
      throw new HttpRequestRefusedError(`Http: only http and https URLs (got ${target.protocol})`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) target.searchParams.append(name, String(item));
    }
    const headers: Record<string, string> = {
      ...this.state.headers,
      ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
    };
    let body: string | Uint8Array | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    } else if (options.form) {
      body = new URLSearchParams(
        Object.entries(options.form).map(([name, value]): [string, string] => [name, String(value)]),
      ).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const request: RecordedRequest = {
      method: method.toUpperCase(),
      url: target.toString(),
      headers,
      body: typeof body === 'string' ? body : body ? Buffer.from(body).toString('utf8') : undefined,
      json: options.json,
    };
    return this.client.dispatch(request, body, this.state);
  }
}
