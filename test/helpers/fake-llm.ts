// A local server on 127.0.0.1 that speaks the LLM providers' APIs (Anthropic, OpenAI-compatible,
// Gemini, Ollama): each test queues the replies it wants — a plan, a malformed body, a 429, a 500,
// or silence — and reads back the requests it received.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export type Reply =
  | { kind: 'text'; text: string }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'raw'; body: string }
  | { kind: 'hang' };

/** The provider-shaped JSON body carrying `text` as the model's answer, for the path asked. */
export function providerBody(path: string, text: string): unknown {
  if (path.endsWith('/v1/messages'))
    return {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
    };
  if (path.endsWith('/chat/completions'))
    return {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    };
  if (path.includes(':generateContent'))
    return { candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP' }] };
  if (path.endsWith('/api/chat'))
    return { model: 'llama3.1', message: { role: 'assistant', content: text }, done: true };
  throw new Error(`the fake provider does not know ${path}`);
}

export class FakeLlm {
  readonly received: Received[] = [];
  private readonly queue: Reply[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The replies from now on (replacing any left), used in order; the last one repeats. */
  reply(...replies: Reply[]): this {
    this.queue.splice(0, this.queue.length, ...replies);
    return this;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of request) raw += String(chunk);
    const path = request.url ?? '';
    this.received.push({
      method: request.method ?? '',
      path,
      headers: request.headers,
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
    });
    const reply = (this.queue.length > 1 ? this.queue.shift() : this.queue[0]) ?? {
      kind: 'status',
      status: 500,
      body: '{"error":{"message":"no reply queued"}}',
    };
    if (reply.kind === 'hang') {
      this.hanging.add(response);
      return;
    }
    if (reply.kind === 'status') {
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(reply.body ?? '');
      return;
    }
    const body = reply.kind === 'raw' ? reply.body : JSON.stringify(providerBody(path, reply.text));
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
