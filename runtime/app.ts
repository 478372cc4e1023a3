// The application factory: a Koa app with the standard middleware stack and the given routes,
// separate from the HTTP listener (server.ts) so tests run it in-process.
import cors from '@koa/cors';
import Router from '@koa/router';
import type { Redis } from 'ioredis';
import Koa, { type Middleware } from 'koa';
// (Not the first import: tsc drops a type-only import with the comments above it.)
import type { bodyParser } from '@koa/bodyparser';
import type { Knex } from 'knex';
import { AuthService } from './auth/auth-service.js';
import type { Settings } from './config/settings.js';
import { configureLibs } from './libs/config.js';
import type { PasswordHasher } from './auth/passwords.js';
import { Hash } from './libs/hash/manager.js';
import { Mail } from './libs/mail/manager.js';
import type { Mailer } from './libs/mail/message.js';
import { Storage } from './libs/storage/manager.js';
import type { Disk } from './libs/storage/disk.js';
import { limitBodyDepth } from './middleware/body-depth.js';
import { errorHandler } from './middleware/error-handler.js';
import { rateLimit, type RateLimitStore, type RedisEvalClient } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { securityHeaders } from './middleware/security-headers.js';
import { timing } from './middleware/timing.js';
import { dispatch } from './routes/dispatch.js';
import { healthRouter, type Pingable } from './routes/health.js';
import { openApiRouter } from './routes/openapi.js';
import type { Model } from './models/base-model.js';
import type { UserRecord } from './models/user.js';
import type { Logger } from './utils/logger.js';

/** What routes and middleware may use: one instance of each per application. */
export interface AppServices {
  settings: Settings;
  db: Knex;
  logger: Logger;
  /** The Redis client, when REDIS_URL is set. */
  redis?: RedisEvalClient & Pingable;
  mailer: Mailer;
  auth: AuthService;
  /** The disk uploads are stored on (STORAGE_ROOT). */
  storage: Disk;
}

/**
 * The facades the runtime's own code uses: auth sends its e-mails through Mail and hashes passwords
 * with Hash, uploads go to Storage's default disk. A project gives its own (src/bootstrap.ts:
 * `facades`, from #libs), so a facade it ejected (`fastpy eject libs/mail`) is the one these use,
 * and its Mail.fake() sees auth's e-mails. Each defaults to the runtime's.
 */
export interface RuntimeFacades {
  Mail: Pick<typeof Mail, 'sendMessage'>;
  Hash: PasswordHasher;
  Storage: Pick<typeof Storage, 'disk'>;
}

/**
 * The built-in middleware createApp runs, in this order, before the project's own: a project gives
 * them (src/middleware/index.ts: `stack`), so a part it ejected (`fastpy eject middleware/rate-limit`)
 * is the one its app runs. Each defaults to the runtime's.
 */
export interface RuntimeMiddleware {
  requestId: typeof requestId;
  timing: typeof timing;
  errorHandler: typeof errorHandler;
  securityHeaders: typeof securityHeaders;
  rateLimit: typeof rateLimit;
  limitBodyDepth: typeof limitBodyDepth;
}

const BUILT_IN_MIDDLEWARE: RuntimeMiddleware = {
  requestId,
  timing,
  errorHandler,
  securityHeaders,
  rateLimit,
  limitBodyDepth,
};

/** Builds a router from the application's services. */
export type RouteFactory = (services: AppServices) => Router;

export interface CreateAppOptions extends Omit<AppServices, 'mailer' | 'auth' | 'storage'> {
  /** Defaults to the local disk at STORAGE_ROOT. */
  storage?: Disk;
  /** Defaults to the driver MAIL_DRIVER names. */
  mailer?: Mailer;
  /** Defaults to an AuthService on `db` and `users`. */
  auth?: AuthService;
  /** The project's facades, for the defaults of `mailer`, `auth` and `storage` (default: the runtime's). */
  facades?: Partial<RuntimeFacades>;
  /** The project's User model (src/models/user.ts), for the default AuthService. */
  users?: Model<UserRecord>;
  routes?: RouteFactory[];
  /** The application's own middleware, run after the built-in stack (and the body parser), before the routes. */
  middleware?: Middleware[];
  /** The project's built-in middleware (src/middleware/index.ts), yours when ejected (default: the runtime's). */
  stack?: Partial<RuntimeMiddleware>;
  /** Overrides the rate-limit store chosen from settings (tests use this). */
  rateLimitStore?: RateLimitStore;
}

function corsOptions(origins: string[]): cors.Options {
  const allowAll = origins.includes('*');
  return {
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      return allowAll || origins.includes(origin) ? origin : '';
    },
    exposeHeaders: [
      'X-Request-ID',
      'X-Response-Time',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
      'Retry-After',
    ],
    maxAge: 600,
  };
}

/** The methods whose bodies are parsed (@koa/bodyparser's `parsedMethods`); other requests pass untouched. */
const BODY_METHODS = ['POST', 'PUT', 'PATCH'];

/**
 * @koa/bodyparser, loaded by the first request it parses: its co-body, qs and their helpers cost
 * an app's start about 50 ms. Every request is handled exactly as the parser handles it.
 */
function bodyParserOnFirstBody(options: Parameters<typeof bodyParser>[0]): Middleware {
  let parser: Promise<Middleware> | undefined;
  return async function lazyBodyParser(ctx, next): Promise<void> {
    if (!BODY_METHODS.includes(ctx.method)) {
      await next();
      return;
    }
    parser ??= import('@koa/bodyparser').then(
      (loaded) => loaded.bodyParser({ ...options, parsedMethods: BODY_METHODS }) as Middleware,
    );
    const parse = await parser;
    await parse(ctx, next);
  };
}

/** The Redis client the rate limiter keeps its counts in (RATE_LIMIT_STORE=redis), else none: memory. */
function rateLimitRedis(services: AppServices): RedisEvalClient | undefined {
  if (services.settings.rateLimit.store !== 'redis') return undefined;
  if (!services.redis) throw new TypeError('createApp(): RATE_LIMIT_STORE is redis but no Redis client was given');
  return services.redis;
}

/** A whole ioredis client (what the facades need), not just the calls the rate limiter and health check make. */
function isRedisClient(client: unknown): client is Redis {
  const candidate = client as Partial<Redis> | undefined;
  return (
    typeof candidate?.duplicate === 'function' &&
    typeof candidate.get === 'function' &&
    typeof candidate.set === 'function'
  );
}

/**
 * Points the facades (#libs) at an app's settings, and shares its Redis connection (when it is a
 * whole ioredis client) and database pool with them. The composition root calls it once, before
 * the services are built (src/bootstrap.ts; a test kit when it is made): createApp does not.
 */
export function configureFacades(services: Pick<AppServices, 'settings' | 'redis'> & { db?: Knex }): void {
  configureLibs(services.settings, {
    redis: isRedisClient(services.redis) ? services.redis : undefined,
    db: services.db,
  });
}

/**
 * The services of an app: the given ones, and the one set of defaults for the mailer, auth and
 * storage (src/bootstrap.ts builds its services with this too). It does not configure the facades:
 * configureFacades does, once.
 */
export function appServices(options: CreateAppOptions): AppServices {
  const { settings, logger } = options;
  const facades: RuntimeFacades = { Mail, Hash, Storage, ...options.facades };
  // The app's own e-mails (auth) go through the Mail facade: MAIL_DRIVER's transport, and Mail.fake() sees them.
  const mailer = options.mailer ?? { send: (message) => facades.Mail.sendMessage(message) };
  const auth =
    options.auth ??
    new AuthService({ db: options.db, settings, mailer, logger, users: options.users, hasher: facades.Hash });
  // Uploads go to the default disk (STORAGE_DISK): local, or s3 in production.
  const storage = options.storage ?? facades.Storage.disk();
  return { settings, db: options.db, logger, redis: options.redis, mailer, auth, storage };
}

/** Every router of the app, in the order they are mounted: health first, then the given routes. */
export function appRouters(services: AppServices, routes: readonly RouteFactory[] = []): Router[] {
  const health = healthRouter({
    db: services.db,
    name: services.settings.appName,
    version: services.settings.appVersion,
    environment: services.settings.env,
    dependencies: services.redis ? { redis: services.redis } : {},
  });
  const routers = [health, ...routes.map((factory) => factory(services))];
  if (services.settings.docsEnabled) {
    // No `servers`: the document is served by the API it describes, so "Try it out" calls this origin.
    routers.push(
      openApiRouter(() => routers, {
        title: services.settings.appName,
        version: services.settings.appVersion,
        rateLimited: services.settings.rateLimit.enabled,
        contactUrl: services.settings.appUrl,
      }),
    );
  }
  return routers;
}

/**
 * Middleware order: request id and timing first (they stamp every response, errors included),
 * then the error handler, security headers, CORS, rate limiting, body parsing and the routes.
 *
 * @example
 * const app = createApp({ settings, db, logger, routes: [postRoutes] });
 * app.listen(settings.port);
 */
export function createApp(options: CreateAppOptions): Koa {
  const services = appServices(options);
  const { settings, logger } = services;
  const app = new Koa({ proxy: settings.trustProxy });
  app.silent = true; // errors are logged by the error handler, once

  const stack: RuntimeMiddleware = { ...BUILT_IN_MIDDLEWARE, ...options.stack };
  app.use(stack.requestId());
  app.use(stack.timing({ logger, slowMs: settings.slowRequestMs, logRequests: settings.env === 'development' }));
  app.use(stack.errorHandler({ logger, exposeInternals: settings.env === 'development' }));
  app.use(stack.securityHeaders({ hsts: settings.env === 'production' }));
  if (settings.corsOrigins.length > 0) app.use(cors(corsOptions(settings.corsOrigins)));
  if (settings.rateLimit.enabled) {
    app.use(
      stack.rateLimit({
        limit: settings.rateLimit.requests,
        windowSeconds: settings.rateLimit.windowSeconds,
        store: options.rateLimitStore,
        redis: rateLimitRedis(services),
        prefix: `${settings.appName}:ratelimit:`,
        failOpen: settings.rateLimit.failOpen,
        logger,
      }),
    );
  }
  app.use(
    bodyParserOnFirstBody({
      enableTypes: ['json', 'form'],
      jsonLimit: settings.bodyLimit,
      formLimit: settings.bodyLimit,
    }),
  );
  app.use(stack.limitBodyDepth(settings.bodyMaxDepth));

  for (const middleware of options.middleware ?? []) app.use(middleware);

  // One dispatcher for every router: a request is matched once, not once per router.
  const root = new Router();
  for (const router of appRouters(services, options.routes)) root.use(router.routes());
  app.use(dispatch(root));
  app.use(root.allowedMethods());
  return app;
}
