// Each provider's API against a local fake (no real network): the request it sends, the reply it
// reads, and what it does with 429s, 5xx, timeouts, refusals and malformed replies.
import test from 'ava';
import { ask, backoffMs, ProviderError, resolveProvider, retryAfterMs } from '../../../lib/ai/providers.js';
import { PROVIDERS, type AiSettings, type ProviderName } from '../../../lib/user-config.js';
import { FakeLlm } from '../../helpers/fake-llm.js';

const PLAN = '{"steps":[{"command":"fastpy db:migrate","reason":"tables"}]}';
const KEYS = {
  ANTHROPIC_API_KEY: 'sk-ant-test',
  OPENAI_API_KEY: 'sk-openai-test',
  GROQ_API_KEY: 'gsk-test',
  GEMINI_API_KEY: 'gem-test',
};
const conversation = { system: 'You plan.', prompt: 'a blog' };

async function fake(t: { teardown: (fn: () => unknown) => void }): Promise<FakeLlm> {
  const server = await new FakeLlm().start();
  t.teardown(() => server.stop());
  return server;
}

function settings(server: FakeLlm, overrides: Partial<AiSettings> = {}): AiSettings {
  return { baseUrl: server.url, timeoutMs: 2000, retries: 2, ...overrides };
}

const expectations: Record<
  ProviderName,
  {
    path: string;
    auth: [string, string] | undefined;
    system: (body: Record<string, unknown>) => unknown;
    model: string;
  }
> = {
  anthropic: {
    path: '/v1/messages',
    auth: ['x-api-key', 'sk-ant-test'],
    system: (body) => body.system,
    model: 'claude-sonnet-4-5',
  },
  openai: {
    path: '/chat/completions',
    auth: ['authorization', 'Bearer sk-openai-test'],
    system: (body) => (body.messages as { content: string }[])[0]!.content,
    model: 'gpt-4o-mini',
  },
  groq: {
    path: '/chat/completions',
    auth: ['authorization', 'Bearer gsk-test'],
    system: (body) => (body.messages as { content: string }[])[0]!.content,
    model: 'llama-3.3-70b-versatile',
  },
  google: {
    path: '/models/gemini-2.0-flash:generateContent',
    auth: ['x-goog-api-key', 'gem-test'],
    system: (body) => (body.systemInstruction as { parts: { text: string }[] }).parts[0]!.text,
    model: 'gemini-2.0-flash',
  },
  ollama: {
    path: '/api/chat',
    auth: undefined,
    system: (body) => (body.messages as { content: string }[])[0]!.content,
    model: 'llama3.1',
  },
};

for (const name of PROVIDERS) {
  test(`${name}: sends the conversation its API's way and reads the answer`, async (t) => {
    const server = (await fake(t)).reply({ kind: 'text', text: PLAN });
    const provider = resolveProvider(name, settings(server), KEYS);
    t.is(await ask(provider, conversation, settings(server)), PLAN);
    const [request] = server.received;
    const expected = expectations[name];
    t.is(request!.method, 'POST');
    t.is(request!.path, expected.path);
    t.is(request!.headers['content-type'], 'application/json');
    if (expected.auth) t.is(request!.headers[expected.auth[0]], expected.auth[1]);
    else t.is(request!.headers.authorization, undefined);
    t.is(expected.system(request!.body), 'You plan.');
    if (name !== 'google') t.is(request!.body.model, expected.model); // Gemini: the model is in the path
    t.true(JSON.stringify(request!.body).includes('"a blog"'));
  });
}

test('a missing API key names the variable to set; Ollama needs none; FASTPY_AI_API_KEY serves any provider', (t) => {
  t.throws(() => resolveProvider('anthropic', { timeoutMs: 1000, retries: 0 }, {}), {
    message: /the anthropic provider needs an API key: set ANTHROPIC_API_KEY \(or FASTPY_AI_API_KEY\)/,
  });
  t.throws(() => resolveProvider('google', { timeoutMs: 1000, retries: 0 }, {}), {
    message: /set GEMINI_API_KEY or GOOGLE_API_KEY/,
  });
  t.notThrows(() => resolveProvider('ollama', { timeoutMs: 1000, retries: 0 }, {}));
  t.is(
    resolveProvider(
      'openai',
      { timeoutMs: 1000, retries: 0, baseUrl: 'http://127.0.0.1:8000/v1/', model: 'qwen' },
      { FASTPY_AI_API_KEY: 'local' },
    ).key,
    'local',
  );
  t.like(
    resolveProvider(
      'openai',
      { timeoutMs: 1000, retries: 0, baseUrl: 'http://127.0.0.1:8000/v1/', model: 'qwen' },
      { FASTPY_AI_API_KEY: 'local' },
    ),
    { baseUrl: 'http://127.0.0.1:8000/v1', model: 'qwen' },
  );
});

test('a 429 is retried after the retry-after it gives, then succeeds', async (t) => {
  const server = (await fake(t)).reply(
    { kind: 'status', status: 429, headers: { 'retry-after': '0' }, body: '{"error":{"message":"slow down"}}' },
    { kind: 'text', text: PLAN },
  );
  const retries: string[] = [];
  t.is(
    await ask(resolveProvider('openai', settings(server), KEYS), conversation, settings(server), (message) =>
      retries.push(message),
    ),
    PLAN,
  );
  t.is(server.received.length, 2);
  t.deepEqual(retries, ['OpenAI: HTTP 429: slow down; retrying in 0 ms (attempt 2 of 3)']);
});

test('5xx and dropped connections are retried with backoff; after the last attempt the error says what happened', async (t) => {
  const server = (await fake(t)).reply({ kind: 'status', status: 503, body: 'upstream down' });
  const error = await t.throwsAsync(
    ask(
      resolveProvider('anthropic', settings(server, { retries: 1 }), KEYS),
      conversation,
      settings(server, { retries: 1 }),
    ),
    { instanceOf: ProviderError },
  );
  t.is(error.message, `Anthropic at ${server.url} failed after 2 attempts: HTTP 503: upstream down`);
  t.is(server.received.length, 2);
  await server.stop();
  const refused = await t.throwsAsync(
    ask(
      resolveProvider('ollama', settings(server, { retries: 0 }), KEYS),
      conversation,
      settings(server, { retries: 0 }),
    ),
  );
  t.regex(
    refused.message,
    /^Ollama at http:\/\/127\.0\.0\.1:\d+ failed after 1 attempt: could not connect \(connect ECONNREFUSED[^)]*\)\. Is Ollama running\? Start it with `ollama serve`, or point at it with FASTPY_AI_BASE_URL/,
  );
});

test('a reply that never comes times out, and is retried', async (t) => {
  const server = (await fake(t)).reply({ kind: 'hang' });
  const options = settings(server, { timeoutMs: 300, retries: 1 });
  const error = await t.throwsAsync(ask(resolveProvider('google', options, KEYS), conversation, options));
  t.is(error.message, `Google Gemini at ${server.url} failed after 2 attempts: no reply within 300 ms`);
  t.is(server.received.length, 2);
});

test("a refusal (401, 400) is not retried and carries the provider's message", async (t) => {
  const server = (await fake(t)).reply({
    kind: 'status',
    status: 401,
    body: '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
  });
  const error = await t.throwsAsync(
    ask(resolveProvider('anthropic', settings(server), KEYS), conversation, settings(server)),
  );
  t.is(error.message, 'Anthropic refused the request (HTTP 401: invalid x-api-key); check the API key');
  t.is(server.received.length, 1);
});

test('a rate limit asking for more than a minute is not waited for', async (t) => {
  const server = (await fake(t)).reply({
    kind: 'status',
    status: 429,
    headers: { 'retry-after': '3600' },
    body: '{"error":{"message":"quota"}}',
  });
  const error = await t.throwsAsync(
    ask(resolveProvider('groq', settings(server), KEYS), conversation, settings(server)),
  );
  t.is(error.message, 'Groq is rate limiting (HTTP 429: quota) and asks to wait 3600 s; try again later');
  t.is(server.received.length, 1);
});

test('malformed replies are errors that quote them, not retried', async (t) => {
  const server = (await fake(t)).reply({ kind: 'raw', body: '<html>gateway</html>' });
  t.is(
    (await t.throwsAsync(ask(resolveProvider('openai', settings(server), KEYS), conversation, settings(server))))
      .message,
    'OpenAI replied with something that is not JSON: "<html>gateway</html>"',
  );
  const shapeless = (await fake(t)).reply({ kind: 'raw', body: '{"choices":[]}' });
  t.is(
    (await t.throwsAsync(ask(resolveProvider('openai', settings(shapeless), KEYS), conversation, settings(shapeless))))
      .message,
    'OpenAI\'s reply is not shaped as its API documents (no text at choices.0.message.content): "{\\"choices\\":[]}"',
  );
  t.is(server.received.length + shapeless.received.length, 2);
});

test('retry-after in seconds or as a date; backoff grows and stays bounded', (t) => {
  t.is(retryAfterMs('2'), 2000);
  t.is(retryAfterMs(new Date(10_000).toUTCString(), 4000), 6000);
  t.is(retryAfterMs('soon'), undefined);
  t.is(retryAfterMs(null), undefined);
  t.is(
    backoffMs(0, () => 0),
    125,
  );
  t.is(
    backoffMs(1, () => 1),
    500,
  );
  t.is(
    backoffMs(20, () => 1),
    8000,
  );
});
