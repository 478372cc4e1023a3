// The thread lib/format.ts formats in (startFormatter): Prettier is loaded and its code warmed on a
// file shaped like fastpy's output while the command loads Yeoman, then each request is formatted.
import { parentPort } from 'node:worker_threads';
import { formatHere, PRETTIER_OPTIONS, type FormatMessage, type FormatReply } from './format.js';

const WARM_UP = `import { type Context } from 'koa';
import { ResourceController } from 'fastpy-runtime';
export class ExampleController extends ResourceController<Example> {
  async show(ctx: Context): Promise<void> { const row = await this.service.find(Number(ctx.params.id), { include: [] }); ctx.body = { data: row ?? null, items: [1, 2, 3].map((n) => n * 2) }; }
}
export const fields = { title: { type: 'string', required: true, max: 200 }, price: { type: 'decimal' } } as const;
`;

const warm = formatHere([{ path: 'warm-up.ts', text: WARM_UP, options: PRETTIER_OPTIONS }]);

parentPort!.on('message', ({ id, requests }: FormatMessage) => {
  void warm
    .then(() => formatHere(requests))
    .then((results) => {
      const reply: FormatReply = {
        id,
        results: results.map((result) => ('error' in result ? { error: result.error.message } : result)),
      };
      parentPort!.postMessage(reply);
    });
});
