// Http: an outgoing HTTP client on undici — verbs, JSON and form bodies, tokens and basic auth,
// headers and query strings, timeouts, retries with backoff — with a guard against server-side
// request forgery (addresses on private, loopback and link-local networks are refused unless
// allowed, checked where the connection is made, redirects included) and a fake for tests.
import { isIP } from 'node:net';
import type { fetch as undiciFetch } from 'undici';
import { wildcard } from '../../utils/wildcard.js';
import { libsSettings } from '../config.js';
import { guarded, isPrivateAddress } from './address-guard.js';
import {
  PendingRequest,
  RETRYABLE,
  sleep,
  type BuilderState,
  type FakeHandler,
  type RecordedRequest,
  type RequestOptions,
} from './request.js';
import { HttpError, HttpRequestRefusedError, HttpResponse } from './response.js';

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
        // undici is loaded by the first request (it costs an app's start 40 ms: Node's fetch with it).
        const { fetch } = await import('undici');
        response = await fetch(url, {
          method,
          headers: request.headers,
          body: payload as string | undefined,
          redirect: 'manual',
          signal: AbortSignal.timeout(state.timeoutMs),
          dispatcher: state.allowPrivate ? undefined : await guarded(),
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
