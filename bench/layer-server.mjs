// The generated server of a bench project (bench/project.ts) with probes: each answers
// GET /probe/<name>/<id> by reading the item at one depth of the stack, so that the difference
// between two probes is what one layer costs. Run from the project directory after `npm run build`:
// PORT=… node <this file>. Used by bench/layers.ts; not part of any project.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const project = (path) => import(pathToFileURL(join(process.cwd(), 'dist', path)).href);
const { createApp } = await project('app.js');
const { createServices } = await project('bootstrap.js');
const { readSettingsOrExit } = await project('config/index.js');
const { middleware } = await project('middleware/index.js');
const { routes } = await project('routes/index.js');
const { BaseRepository } = await project('repositories/base-repository.js');
const { Item } = await project('models/item.js');
const { ItemController } = await project('controllers/item-controller.js');
const { sendSuccess } = await project('utils/responses.js');
const Router = createRequire(join(process.cwd(), 'package.json'))('@koa/router');

const settings = readSettingsOrExit();
const services = createServices(settings);
const app = createApp({ ...services, routes, middleware });
const repository = new BaseRepository(services.db, Item);
const controller = new ItemController(services);
const oneRoute = new Router();
oneRoute.get('/probe/router/:id', controller.show);
const oneRouteDispatch = oneRoute.routes();

const PROBE = /^\/probe\/([a-z-]+)\/(\d+)$/;
const read = (id) => services.db('items').where({ id }).whereNull('deleted_at').first();
/** The handlers past the middleware stack, from the plainest to the whole route's. */
const handlers = {
  repository: async (ctx, id) => (ctx.body = await repository.find(id)),
  envelope: async (ctx, id) => sendSuccess(ctx, Item.serialize(await repository.findOrFail(id))),
  controller: (ctx, id) => {
    ctx.params = { id: String(id) };
    return controller.show(ctx);
  },
  router: (ctx, _id, next) => oneRouteDispatch(ctx, next),
};

/** A probe that answers for `names` and passes every other request on. */
function probe(names) {
  return (ctx, next) => {
    const match = PROBE.exec(ctx.path);
    if (!match || !names.includes(match[1])) return next();
    const id = Number(match[2]);
    const handler = handlers[match[1]];
    if (handler) return handler(ctx, id, next);
    return read(id).then((row) => void (ctx.body = row));
  };
}

// After each built-in middleware, a probe doing only the read (named after that middleware).
const stack = [
  ['requestIdMiddleware', 'request-id'],
  ['timingMiddleware', 'timing'],
  ['errorHandlerMiddleware', 'error-handler'],
  ['securityHeadersMiddleware', 'security-headers'],
  ['bodyParser', 'body-parser'],
];
for (const [functionName, probeName] of stack.toReversed()) {
  const index = app.middleware.findIndex((fn) => fn.name === functionName);
  if (index < 0)
    throw new Error(
      `layer-server: no ${functionName} in the app's middleware (${app.middleware.map((fn) => fn.name).join(', ')}); update the probes`,
    );
  app.middleware.splice(
    index + 1,
    0,
    probe(probeName === 'body-parser' ? [probeName, ...Object.keys(handlers)] : [probeName]),
  );
}
app.middleware.unshift(probe(['koa']));

const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void services.close().then(() => process.exit(0))));
