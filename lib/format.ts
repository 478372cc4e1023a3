// What fastpy generates is already formatted, as Prettier formats it in the project: `npm run lint`
// (ESLint, then `prettier --check`) passes on a new project and after every generator. A new project
// gets PRETTIER_OPTIONS as its .prettierrc.json; in an existing project the generators format as the
// project's own Prettier settings say, whatever the owner made of them.
//
// Prettier is a third of what `fastpy make:resource` costs when it runs in the generator's thread
// (loading it, and formatting while its code is still cold). `startFormatter()`, called by the
// commands that generate before they load Yeoman, loads and warms Prettier in a worker thread (the
// other core's time) meanwhile; formatText then formats there. Without it, or if the worker cannot
// run, formatText formats in this thread: the output is the same either way.
import { Worker } from 'node:worker_threads';
import type { Options } from 'prettier';

/** The Prettier settings of a new project (its .prettierrc.json); files Prettier formats as these say. */
export const PRETTIER_OPTIONS = { printWidth: 120, singleQuote: true } as const;

/**
 * `text` formatted as the file at `path` (its parser chosen by the name, its settings `options`, or
 * when left out the ones Prettier finds for that path, .editorconfig included). Text Prettier has no
 * parser for is returned as it is; text that does not parse is an error (see formatProblem).
 *
 * @example
 * await formatText('/app/src/a.ts', 'const a = "x"', PRETTIER_OPTIONS) // "const a = 'x';\n"
 */
export async function formatText(path: string, text: string, options?: Options): Promise<string> {
  const result = (await formatTexts([{ path, text, options }]))[0]!;
  if ('error' in result) throw result.error;
  return result.text;
}

/** Why Prettier could not format a file, as one line for an error message. */
export function formatProblem(error: unknown): string {
  return (error as Error).message.split('\n')[0]!;
}

/** One file to format: what formatText takes. */
export interface FormatRequest {
  path: string;
  text: string;
  options?: Options | undefined;
}

/** One file formatted (`text`), or the reason Prettier could not (`error`, its message kept). */
export type FormatResult = { text: string } | { error: Error };

/**
 * Several files formatted as formatText formats each (the results in their order): what one run
 * writes. Prettier's settings are looked up once per folder for the batch (a fresh lookup each batch,
 * so settings the owner changes between runs count): looking them up for each file cost a run as
 * much as formatting it.
 */
export async function formatTexts(requests: readonly FormatRequest[]): Promise<FormatResult[]> {
  return formatter ? formatter.format(requests) : formatHere(requests);
}

/** formatTexts in this thread (and in the worker). Prettier is loaded at the first call. */
export async function formatHere(requests: readonly FormatRequest[]): Promise<FormatResult[]> {
  const prettier = await import('prettier');
  await prettier.clearConfigCache();
  return Promise.all(
    requests.map(async ({ path, text, options }): Promise<FormatResult> => {
      try {
        const { inferredParser } = await prettier.getFileInfo(path);
        if (!inferredParser) return { text };
        const found = options ?? (await prettier.resolveConfig(path, { editorconfig: true, useCache: true }));
        return { text: await prettier.format(text, { ...(found ?? PRETTIER_OPTIONS), filepath: path }) };
      } catch (error) {
        return { error: error as Error };
      }
    }),
  );
}

let formatter: FormatWorker | undefined;

/**
 * Starts loading Prettier in a worker thread, so that formatText formats there, warm. Call it
 * before loading anything heavy: the two then load side by side. Does nothing the second time.
 */
export function startFormatter(): void {
  formatter ??= new FormatWorker();
}

/** What the worker is sent, and what it answers (an error as its message). */
export interface FormatMessage {
  id: number;
  requests: readonly FormatRequest[];
}
export interface FormatReply {
  id: number;
  results: Array<{ text: string } | { error: string }>;
}

/**
 * The worker's script: lib/format-worker.js beside this module (dist/format-worker.js in the CLI's
 * bundle). Where this module runs from its TypeScript source (tsx: the tests), the .ts one, behind
 * tsx's loader: a worker thread does not inherit the loader --import registered.
 */
function workerScript(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./format-worker.js', import.meta.url);
  const source = JSON.stringify(new URL('./format-worker.ts', import.meta.url).href);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const script = `import { register } from ${tsx}; register(); await import(${source});`;
  return new URL(`data:text/javascript,${encodeURIComponent(script)}`);
}

/**
 * The formatting thread. It keeps the process alive only while a batch is waiting; if it fails
 * (cannot start, or stops), what it was asked and everything after is formatted in this thread.
 */
export class FormatWorker {
  #worker: Worker | undefined;
  #waiting = new Map<
    number,
    { requests: readonly FormatRequest[]; settle: (results: Promise<FormatResult[]>) => void }
  >();
  #next = 0;

  constructor(script: URL = workerScript()) {
    try {
      this.#worker = new Worker(script);
    } catch {
      return;
    }
    this.#worker.on('message', ({ id, results }: FormatReply) => {
      const waiting = this.#waiting.get(id);
      this.#waiting.delete(id);
      if (this.#waiting.size === 0) this.#worker?.unref();
      const formatted = results.map((result) => ('error' in result ? { error: new Error(result.error) } : result));
      waiting?.settle(Promise.resolve(formatted));
    });
    const fail = () => {
      this.#worker = undefined;
      for (const { requests, settle } of this.#waiting.values()) settle(formatHere(requests));
      this.#waiting.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', fail);
    // (After the listeners: listening for messages refs the thread again.)
    this.#worker.unref();
  }

  /** Whether the thread formats (false once it failed: this thread does). */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** The batch formatted in the thread, or in this one if the thread has failed (or fails meanwhile). */
  format(requests: readonly FormatRequest[]): Promise<FormatResult[]> {
    const worker = this.#worker;
    if (!worker) return formatHere(requests);
    const id = this.#next++;
    return new Promise<FormatResult[]>((resolve, reject) => {
      this.#waiting.set(id, { requests, settle: (results) => void results.then(resolve, reject) });
      worker.ref();
      worker.postMessage({ id, requests } satisfies FormatMessage);
    });
  }
}
