// The LLM providers `fastpy ai` can ask: each one's HTTP API (Anthropic Messages, OpenAI Chat
// Completions and compatible servers, Google Gemini, Groq, Ollama), with a timeout per request,
// retries with exponential backoff on 429s, 5xx, timeouts and dropped connections, and
// `retry-after` honoured.
import { FastpyError } from '../../runtime/utils/errors.js';
import { UsageError } from '../questions.js';
import type { AiSettings, ProviderName } from '../user-config.js';

export interface Conversation {
  system: string;
  prompt: string;
}

interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

interface Provider {
  label: string;
  defaultModel: string;
  defaultBaseUrl: string;
  /** Environment variables holding the API key, first found wins; empty: no key needed. */
  keyEnv: string[];
  request(base: string, model: string, key: string | undefined, conversation: Conversation): HttpRequest;
  /** The reply's text; throws when the reply is not shaped as the API documents. */
  text(reply: unknown): string;
}

const at = (value: unknown, path: (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | null | undefined)?.[key], value);

function textAt(reply: unknown, path: (string | number)[]): string {
  const text = at(reply, path);
  if (typeof text !== 'string') throw new Error(`no text at ${path.join('.')}`);
  return text;
}

/** The authorization header of an API key, when there is one. */
const bearer = (key: string | undefined): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});

const openAiCompatible = (label: string, defaultModel: string, defaultBaseUrl: string, keyEnv: string[]): Provider => ({
  label,
  defaultModel,
  defaultBaseUrl,
  keyEnv,
  request: (base, model, key, { system, prompt }) => ({
    url: `${base}/chat/completions`,
    headers: bearer(key),
    body: {
      model,
      temperature: 0,
      response_format: { type: 'json_object' },
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: prompt },
      ],
    },
  }),
  text: (reply) => textAt(reply, ['choices', 0, 'message', 'content']),
});

export const PROVIDER_APIS: Record<ProviderName, Provider> = {
  anthropic: {
    label: 'Anthropic',
    defaultModel: 'claude-sonnet-4-5',
    defaultBaseUrl: 'https://api.anthropic.com',
    keyEnv: ['ANTHROPIC_API_KEY'],
    request: (base, model, key, { system, prompt }) => ({
      url: `${base}/v1/messages`,
      headers: { 'x-api-key': key ?? '', 'anthropic-version': '2023-06-01' },
      body: { model, max_tokens: 4096, temperature: 0, system, messages: [{ role: 'user', content: prompt }] },
    }),
    text: (reply) => {
      const blocks = at(reply, ['content']);
      if (!Array.isArray(blocks)) throw new Error('no content blocks');
      const text = blocks
        .filter((block: { type?: unknown }) => block?.type === 'text')
        .map((block: { text?: unknown }) => block.text);
      if (text.length === 0 || text.some((part) => typeof part !== 'string'))
        throw new Error('no text block in content');
      return text.join('');
    },
  },
  openai: openAiCompatible('OpenAI', 'gpt-4o-mini', 'https://api.openai.com/v1', ['OPENAI_API_KEY']),
  groq: openAiCompatible('Groq', 'llama-3.3-70b-versatile', 'https://api.groq.com/openai/v1', ['GROQ_API_KEY']),
  google: {
    label: 'Google Gemini',
    defaultModel: 'gemini-2.0-flash',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    keyEnv: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    request: (base, model, key, { system, prompt }) => ({
      url: `${base}/models/${encodeURIComponent(model)}:generateContent`,
      headers: { 'x-goog-api-key': key ?? '' },
      body: {
        systemInstruction: { parts: [{ text: system }] },
        contents: [{ role: 'user', parts: [{ text: prompt }] }],
        generationConfig: { temperature: 0, responseMimeType: 'application/json' },
      },
    }),
    text: (reply) => textAt(reply, ['candidates', 0, 'content', 'parts', 0, 'text']),
  },
  ollama: {
    label: 'Ollama',
    defaultModel: 'llama3.1',
    defaultBaseUrl: 'http://127.0.0.1:11434',
    keyEnv: [],
    request: (base, model, _key, { system, prompt }) => ({
      url: `${base}/api/chat`,
      headers: {},
      body: {
        model,
        stream: false,
        format: 'json',
        options: { temperature: 0 },
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: prompt },
        ],
      },
    }),
    text: (reply) => textAt(reply, ['message', 'content']),
  },
};

/** A provider failed: what it said, after how many attempts. */
export class ProviderError extends FastpyError {
  constructor(message: string) {
    super('E_PROVIDER', message);
  }
}

/** The longest `retry-after` waited for; a provider asking for more gets an error saying so. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Milliseconds a `retry-after` header asks for (seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter: ~250 ms, 500 ms, 1 s, … capped at 8 s. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(250 * 2 ** attempt, 8000);
  return Math.round(base / 2 + random() * (base / 2));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The provider's own error message from an error body, if it has one. */
function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    const message = at(parsed, ['error', 'message']) ?? at(parsed, ['error']) ?? at(parsed, ['message']);
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: the text itself
  }
  return body.slice(0, 300);
}

export interface ResolvedProvider {
  name: ProviderName;
  label: string;
  model: string;
  baseUrl: string;
  key: string | undefined;
}

/** The provider, model, endpoint and key to use; a missing key is an error naming the variable. */
export function resolveProvider(
  name: ProviderName,
  settings: AiSettings,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedProvider {
  const api = PROVIDER_APIS[name];
  const key = env.FASTPY_AI_API_KEY || api.keyEnv.map((variable) => env[variable]).find(Boolean);
  if (api.keyEnv.length > 0 && !key) {
    throw new UsageError(
      `the ${name} provider needs an API key: set ${api.keyEnv.join(' or ')} (or FASTPY_AI_API_KEY), or choose another provider with --provider, or plan offline with --offline`,
      'E_NO_API_KEY',
    );
  }
  return {
    name,
    label: api.label,
    model: settings.model ?? api.defaultModel,
    baseUrl: (settings.baseUrl ?? api.defaultBaseUrl).replace(/\/+$/, ''),
    key,
  };
}

/**
 * Sends the conversation and returns the model's text.
 *
 * @example
 * const text = await ask(resolveProvider('anthropic', settings), { system, prompt }, settings);
 */
export async function ask(
  provider: ResolvedProvider,
  conversation: Conversation,
  settings: Pick<AiSettings, 'timeoutMs' | 'retries'>,
  onRetry: (message: string) => void = () => {},
): Promise<string> {
  const api = PROVIDER_APIS[provider.name];
  const { url, headers, body } = api.request(provider.baseUrl, provider.model, provider.key, conversation);
  const attempts = settings.retries + 1;
  let last = '';
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    let wait: number | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      const text = await response.text();
      if (response.ok) {
        let reply: unknown;
        try {
          reply = JSON.parse(text);
        } catch {
          throw new ProviderError(
            `${provider.label} replied with something that is not JSON: ${JSON.stringify(text.slice(0, 200))}`,
          );
        }
        try {
          return api.text(reply);
        } catch (error) {
          throw new ProviderError(
            `${provider.label}'s reply is not shaped as its API documents (${(error as Error).message}): ${JSON.stringify(text.slice(0, 200))}`,
          );
        }
      }
      last = `HTTP ${response.status}: ${errorMessage(text)}`;
      if (response.status !== 429 && response.status < 500)
        throw new ProviderError(
          `${provider.label} refused the request (${last})${response.status === 401 || response.status === 403 ? '; check the API key' : ''}`,
        );
      wait = retryAfterMs(response.headers.get('retry-after'));
      if (wait !== undefined && wait > MAX_RETRY_AFTER_MS)
        throw new ProviderError(
          `${provider.label} is rate limiting (${last}) and asks to wait ${Math.ceil(wait / 1000)} s; try again later`,
        );
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      const timedOut = (error as Error).name === 'TimeoutError';
      last = timedOut
        ? `no reply within ${settings.timeoutMs} ms`
        : `could not connect (${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message})`;
    }
    if (attempt + 1 < attempts) {
      const delay = wait ?? backoffMs(attempt);
      onRetry(`${provider.label}: ${last}; retrying in ${delay} ms (attempt ${attempt + 2} of ${attempts})`);
      await sleep(delay);
    }
  }
  // A local server that is not running is the usual reason a connection is refused: say how to start or point at it.
  const hint =
    provider.name === 'ollama' && last.startsWith('could not connect')
      ? '. Is Ollama running? Start it with `ollama serve`, or point at it with FASTPY_AI_BASE_URL (or `fastpy config --set ai.baseUrl=<url>`)'
      : '';
  throw new ProviderError(
    `${provider.label} at ${provider.baseUrl} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${last}${hint}`,
  );
}
