// Http: an outgoing HTTP client on undici — verbs, JSON and form bodies, tokens and basic auth,
// headers and query strings, timeouts, retries with backoff — with a guard against server-side
// request forgery (addresses on private, loopback and link-local networks are refused unless
// allowed, checked where the connection is made, redirects included) and a fake for tests.
import { FastpyError } from '../utils/errors.js';
import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { wildcard } from '../utils/wildcard.js';
import { libsSettings } from './config.js';

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

// --- the address guard -------------------------------------------------------------------------

const V4_BLOCKS: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const v4Number = (ip: string) => ip.split('.').reduce((value, part) => value * 256 + Number(part), 0);

/** Whether an IP address is on a network an API should not reach on a user's behalf. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) {
    const value = v4Number(ip);
    return V4_BLOCKS.some(
      ([base, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(v4Number(base) / 2 ** (32 - bits)),
    );
  }
  if (family === 6) {
    const address = ip.toLowerCase().replace(/^\[|\]$/g, '');
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(address);
    if (mapped) return isPrivateAddress(mapped[1]!);
    if (address === '::' || address === '::1') return true;
    const first = parseInt(address.split(':')[0] || '0', 16);
    // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast
    return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
  }
  return true; // not an address at all: refuse
}

/** A DNS lookup that fails for private addresses: the check happens on the address actually connected to. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as unknown as Array<{ address: string; family: number }>;
    const blocked = list.find((entry) => isPrivateAddress(entry.address));
    if (blocked)
      return callback(
        Object.assign(new Error(`${hostname} resolves to ${blocked.address}, a private address`), {
          code: 'E_PRIVATE_ADDRESS',
        }),
        '',
        0,
      );
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (error: null, addresses: unknown) => void)(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
};

let guardedAgent: Agent | undefined;
const guarded = () => (guardedAgent ??= new Agent({ connect: { lookup: guardedLookup } }));

// --- responses ----------------------------------------------------------------------------------

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

// --- the fake -----------------------------------------------------------------------------------

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

interface BuilderState {
  baseUrl: string | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  allowPrivate: boolean;
  maxRedirects: number;
}

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

export class HttpClient {
  #fakes: Array<{ matches: (url: string) => boolean; handler: FakeHandler }> | undefined;
  #recorded: RecordedRequest[] = [];
  #preventStray = false;

  #state(): BuilderState {
    const settings = libsSettings();
    return {
      baseUrl: settings.http.baseUrl,
      headers: {},
      timeoutMs: settings.http.timeoutSeconds * 1000,
      retries: 0,
      retryDelayMs: 100,
      allowPrivate: settings.http.allowPrivateNetwork,
      maxRedirects: 5,
    };
  }

  /** A request builder, for chaining: `Http.request().withToken(t).get(url)`. */
  request(): PendingRequest {
    return new PendingRequest(this, this.#state());
  }

  withToken(token: string, type?: string) {
    return this.request().withToken(token, type);
  }
  withBasicAuth(username: string, password: string) {
    return this.request().withBasicAuth(username, password);
  }
  withHeaders(headers: Record<string, string>) {
    return this.request().withHeaders(headers);
  }
  acceptJson() {
    return this.request().acceptJson();
  }
  baseUrl(url: string) {
    return this.request().baseUrl(url);
  }
  timeout(seconds: number) {
    return this.request().timeout(seconds);
  }
  retry(times: number, delayMs?: number) {
    return this.request().retry(times, delayMs);
  }
  allowPrivateNetwork() {
    return this.request().allowPrivateNetwork();
  }
  get(url: string, query?: RequestOptions['query']) {
    return this.request().get(url, query);
  }
  head(url: string, query?: RequestOptions['query']) {
    return this.request().head(url, query);
  }
  post(url: string, json?: unknown) {
    return this.request().post(url, json);
  }
  put(url: string, json?: unknown) {
    return this.request().put(url, json);
  }
  patch(url: string, json?: unknown) {
    return this.request().patch(url, json);
  }
  delete(url: string, json?: unknown) {
    return this.request().delete(url, json);
  }
  send(method: string, url: string, options?: RequestOptions) {
    return this.request().send(method, url, options);
  }

  /**
   * Answers requests from `patterns` (URL → reply; `*` matches anything) instead of the network,
   * and records them for assertSent. Unmatched requests get an empty 200, or an error after preventStrayRequests().
   */
  fake(patterns: Record<string, FakeHandler> = {}): this {
    this.#fakes = [
      ...(this.#fakes ?? []),
      ...Object.entries(patterns).map(([url, handler]) => ({ matches: wildcard(url), handler })),
    ];
    return this;
  }

  /** With fake(): a request no pattern matches is an error instead of an empty 200. */
  preventStrayRequests(prevent = true): this {
    this.#preventStray = prevent;
    return this;
  }

  /** Back to the network; forgets the fakes and the recorded requests. */
  restore(): void {
    this.#fakes = undefined;
    this.#recorded = [];
    this.#preventStray = false;
  }

  /** Requests sent while faked. */
  recorded(predicate: (request: RecordedRequest) => boolean = () => true): RecordedRequest[] {
    return this.#recorded.filter(predicate);
  }

  /** A request to this URL (`*` wildcards) — or one the predicate accepts — was sent. */
  assertSent(match: string | ((request: RecordedRequest) => boolean)): void {
    const predicate = typeof match === 'string' ? (request: RecordedRequest) => wildcard(match)(request.url) : match;
    if (!this.#recorded.some(predicate))
      throw new HttpError(
        `expected a request ${typeof match === 'string' ? `to ${match}` : 'matching the check'}; sent: ${this.#recorded.map((request) => `${request.method} ${request.url}`).join(', ') || 'nothing'}`,
      );
  }

  assertNotSent(match: string | ((request: RecordedRequest) => boolean)): void {
    const predicate = typeof match === 'string' ? (request: RecordedRequest) => wildcard(match)(request.url) : match;
    const sent = this.#recorded.filter(predicate);
    if (sent.length > 0)
      throw new HttpError(
        `expected no request ${typeof match === 'string' ? `to ${match}` : 'matching the check'}; sent ${sent.length}`,
      );
  }

  assertSentCount(count: number): void {
    if (this.#recorded.length !== count)
      throw new HttpError(`expected ${count} request(s), ${this.#recorded.length} sent`);
  }

  /** @internal Sends (or fakes) one request, with the builder's retries, timeout, guard and redirects. */
  async dispatch(
    request: RecordedRequest,
    body: string | Uint8Array | undefined,
    state: BuilderState,
  ): Promise<HttpResponse> {
    if (this.#fakes) return this.#fake(request);
    let attempt = 0;
    for (;;) {
      let wait = state.retryDelayMs * 2 ** attempt;
      try {
        const response = await this.#network(request, body, state);
        if (!RETRYABLE.has(response.status) || attempt >= state.retries) return response;
        const after = Number(response.header('retry-after'));
        if (Number.isFinite(after) && after >= 0) wait = Math.min(after * 1000, 30_000);
      } catch (error) {
        if (error instanceof HttpRequestRefusedError || attempt >= state.retries) throw error;
      }
      attempt += 1;
      await sleep(wait);
    }
  }

  async #network(
    request: RecordedRequest,
    body: string | Uint8Array | undefined,
    state: BuilderState,
  ): Promise<HttpResponse> {
    let url = new URL(request.url);
    let method = request.method;
    let payload = body;
    for (let redirects = 0; ; redirects += 1) {
      // The guard: an IP literal is checked here; a host name where the connection is made (guardedLookup).
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (!state.allowPrivate && isIP(host) && isPrivateAddress(host))
        throw new HttpRequestRefusedError(
          `Http: ${url.host} is a private address; requests to it are refused (allowPrivateNetwork() or HTTP_ALLOW_PRIVATE_NETWORK=true to allow)`,
        );
      let response: Awaited<ReturnType<typeof undiciFetch>>;
      try {
        response = await undiciFetch(url, {
          method,
          headers: request.headers,
          body: payload as string | undefined,
          redirect: 'manual',
          signal: AbortSignal.timeout(state.timeoutMs),
          dispatcher: state.allowPrivate ? undefined : guarded(),
        });
      } catch (error) {
        const cause = (error as Error & { cause?: Error & { code?: string } }).cause;
        if (cause?.code === 'E_PRIVATE_ADDRESS')
          throw new HttpRequestRefusedError(
            `Http: ${cause.message}; requests to it are refused (allowPrivateNetwork() or HTTP_ALLOW_PRIVATE_NETWORK=true to allow)`,
          );
        if ((error as Error).name === 'TimeoutError')
          throw new HttpError(`Http: no response from ${url.host} within ${state.timeoutMs} ms`);
        throw new HttpError(`Http: ${method} ${url.href} failed: ${cause?.message ?? (error as Error).message}`);
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        if (redirects >= state.maxRedirects)
          throw new HttpError(`Http: more than ${state.maxRedirects} redirects from ${request.url}`);
        url = new URL(location, url);
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = 'GET';
          payload = undefined;
        }
        continue;
      }
      return new HttpResponse(response.status, new Headers(response.headers), await response.text(), url.toString());
    }
  }

  async #fake(request: RecordedRequest): Promise<HttpResponse> {
    this.#recorded.push(request);
    const found = this.#fakes!.find((candidate) => candidate.matches(request.url));
    if (!found) {
      if (this.#preventStray)
        throw new HttpError(`Http: no fake for ${request.method} ${request.url} (preventStrayRequests is on)`);
      return new HttpResponse(200, new Headers(), '', request.url);
    }
    const reply = typeof found.handler === 'function' ? await found.handler(request) : found.handler;
    const headers = new Headers(reply.headers);
    let text = reply.body ?? '';
    if (reply.json !== undefined) {
      text = JSON.stringify(reply.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    return new HttpResponse(reply.status ?? 200, headers, text, request.url);
  }
}

/**
 * @example
 * const response = await Http.withToken(token).timeout(5).retry(2).get('https://api.example.com/users');
 * response.json();
 */
export const Http = new HttpClient();
