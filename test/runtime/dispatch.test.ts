// dispatch(root) must answer every request exactly as root.routes() does: the same status, headers,
// body and router fields on ctx, whether it takes its direct path to a lone handler or hands the
// request to the router's own dispatch.
import test from 'ava';
import Router, { type RouterContext } from '@koa/router';
import Koa, { type Middleware } from 'koa';
import supertest from 'supertest';
import { dispatch } from '../../runtime/routes/dispatch.js';

/** What the handler saw of the router: the fields its dispatch sets. */
function echo(label: string): Middleware {
  return (koaContext) => {
    const ctx = koaContext as unknown as RouterContext;
    koaContext.body = {
      label,
      params: ctx.params,
      requestParams: ctx.request.params,
      captures: ctx.captures,
      routerPath: ctx.routerPath,
      routerName: ctx.routerName ?? null,
      matchedRoute: ctx._matchedRoute,
      matchedRouteName: ctx._matchedRouteName ?? null,
      matched: ctx.matched?.map((layer) => String(layer.path)),
      routeMatched: ctx.routeMatched,
      routerIsRoot: ctx.router !== undefined,
      trail: koaContext.state.trail ?? [],
    };
  };
}

const mark =
  (step: string): Middleware =>
  async (ctx, next) => {
    (ctx.state.trail ??= []).push(step);
    await next();
  };

/** The routers of a small app, with every shape the direct path must either handle or hand over. */
function root(): Router {
  const items = new Router({ prefix: '/api/items' });
  items.get('items.show', '/:id', echo('show'));
  items.put('/:id', echo('replace'));
  items.post('items.restore', '/:id/restore', echo('restore'));
  items.get('/', echo('index'));

  const guarded = new Router({ prefix: '/guarded' });
  guarded.use(mark('router-level middleware'));
  guarded.get('/:name', echo('guarded'));

  const params = new Router({ prefix: '/users' });
  params.param('user', async (value, ctx, next) => {
    ctx.state.trail = [`param ${value}`];
    await next();
  });
  params.get('/:user', echo('user'));

  const misc = new Router();
  misc.get('/multi', mark('route middleware'), echo('multi'));
  misc.get('/twice', mark('first layer'));
  misc.get('/twice', echo('second layer'));
  misc.get('/files/{*rest}', echo('files'));
  misc.get('/boom', () => {
    throw new Error('thrown synchronously');
  });
  misc.get('/next', async (_ctx, next) => next());

  const app = new Router();
  for (const router of [items, guarded, params, misc]) app.use(router.routes());
  return app;
}

function makeApp(useDispatch: boolean): { app: Koa; handedOver: () => number } {
  const router = root();
  let handedOver = 0;
  if (useDispatch) {
    const routes = router.routes.bind(router);
    router.routes = (() => {
      const routed = routes();
      return ((ctx: never, next: never) => {
        handedOver++;
        return routed(ctx, next);
      }) as unknown as ReturnType<typeof routes>;
    }) as typeof router.routes;
  }
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      ctx.status = 500;
      ctx.body = { error: (error as Error).message };
    }
  });
  app.use(useDispatch ? dispatch(router) : (router.routes() as unknown as Middleware));
  app.use(router.allowedMethods() as unknown as Middleware);
  app.use((ctx) => {
    if (ctx.path === '/next')
      ctx.body = { fellThrough: true, routeMatched: (ctx as unknown as RouterContext).routeMatched };
  });
  return { app, handedOver: () => handedOver };
}

const REQUESTS: Array<[method: 'get' | 'head' | 'put' | 'post' | 'delete' | 'options', path: string, direct: boolean]> =
  [
    ['get', '/api/items/42', true],
    ['get', '/api/items/caf%C3%A9', true],
    ['get', '/api/items/%E0%A4%A', true],
    ['head', '/api/items/42', true],
    ['put', '/api/items/7', true],
    ['post', '/api/items/7/restore', true],
    ['get', '/api/items', true],
    ['get', '/api/items/', true],
    ['get', '/files/a/b/c.txt', true],
    ['get', '/boom', true],
    ['get', '/next', true],
    ['delete', '/api/items/42', false],
    ['options', '/api/items/42', false],
    ['get', '/nowhere', false],
    ['get', '/guarded/x', false],
    ['get', '/users/ada', false],
    ['get', '/multi', false],
    ['get', '/twice', false],
  ];

for (const [method, path, direct] of REQUESTS) {
  test(`${method.toUpperCase()} ${path}: the same answer as the router's own dispatch (${direct ? 'direct' : 'handed over'})`, async (t) => {
    const reference = await supertest(makeApp(false).app.callback())[method](path);
    const subject = makeApp(true);
    const response = await supertest(subject.app.callback())[method](path);
    t.is(response.status, reference.status);
    t.deepEqual(response.body, reference.body);
    t.is(response.headers.allow, reference.headers.allow);
    t.is(response.headers['content-type'], reference.headers['content-type']);
    t.is(
      subject.handedOver(),
      direct ? 0 : 1,
      direct ? 'answered without the router dispatch' : 'handed to the router dispatch',
    );
  });
}

test('the fields a handler sees on the direct path', async (t) => {
  const { body } = await supertest(makeApp(true).app.callback()).get('/api/items/caf%C3%A9');
  t.deepEqual(body, {
    label: 'show',
    params: { id: 'café' },
    requestParams: { id: 'café' },
    captures: ['caf%C3%A9'],
    routerPath: '/api/items/:id',
    routerName: 'items.show',
    matchedRoute: '/api/items/:id',
    matchedRouteName: 'items.show',
    matched: ['/api/items/:id', '/api/items/:id'],
    routeMatched: true,
    routerIsRoot: true,
    trail: [],
  });
});
