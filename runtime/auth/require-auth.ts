// Route protection: the TypeScript counterpart of FastAPI's Depends(get_current_active_user).
import type { Context, Middleware } from 'koa';
import type { UserRecord, UserRole } from '../models/user.js';
import { ForbiddenException, UnauthorizedException } from '../utils/exceptions.js';
import type { AuthService } from './auth-service.js';

/**
 * Lets a request through only with a valid access token of an active user; the user is then on
 * `ctx.state.user` (and the session id on `ctx.state.sessionId`). Anything else is a 401 with
 * `WWW-Authenticate: Bearer`, or a 403 for a disabled account.
 *
 * @example
 * router.get('/api/reports', requireAuth(auth), (ctx) => sendSuccess(ctx, { for: currentUser(ctx).email }));
 */
export function requireAuth(auth: AuthService): Middleware {
  const middleware: Middleware = async (ctx, next) => {
    await authenticateRequest(auth, ctx);
    await next();
  };
  return Object.defineProperty(middleware, REQUIRES_AUTH, { value: true });
}

/**
 * What marks requireAuth's middleware, for the route table and the OpenAPI document. A symbol, not
 * the function's name, which a bundler or a minifier may change; `Symbol.for`, so that every copy
 * of this module agrees.
 */
export const REQUIRES_AUTH = Symbol.for('fastpy.requireAuth');

/** Whether a route's middleware is requireAuth's: a route that has it needs a bearer token. */
export function requiresAuth(middleware: unknown): boolean {
  return typeof middleware === 'function' && (middleware as { [REQUIRES_AUTH]?: boolean })[REQUIRES_AUTH] === true;
}

/**
 * What requireAuth checks, for a handler that needs the token only sometimes (an include of a
 * protected resource): the user and session go on `ctx.state`; anything else is a 401 (or a 403).
 * `why` names what needs the token in the message for a request that sent none.
 *
 * @example
 * if (!ctx.state.user) await authenticateRequest(auth, ctx, 'Including author needs a bearer token');
 */
export async function authenticateRequest(
  auth: AuthService,
  ctx: Context,
  why = 'Not authenticated',
): Promise<UserRecord> {
  const header = ctx.get('Authorization');
  if (header === '') throw new UnauthorizedException(why);
  const match = /^Bearer +([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header);
  if (!match) throw new UnauthorizedException('Malformed Authorization header: expected "Bearer <token>"');
  const { user, sessionId } = await auth.authenticate(match[1]!);
  ctx.state.user = user;
  ctx.state.sessionId = sessionId;
  return user;
}

/** What marks requireRole's middleware, with the roles it lets through (the route table and the document read it). */
export const REQUIRES_ROLE = Symbol.for('fastpy.requireRole');

/**
 * Lets through only a user with one of the roles; put it after `requireAuth`, which finds the user.
 * A request without one is a 401 (so a route that forgot requireAuth lets nobody in), a user with
 * another role a 403.
 *
 * @example
 * router.get('admin.stats', '/api/admin/stats', requireAuth(auth), requireRole('admin'), stats);
 */
export function requireRole(...roles: [UserRole, ...UserRole[]]): Middleware {
  const middleware: Middleware = async (ctx, next) => {
    const user = currentUser(ctx);
    if (!(roles as readonly string[]).includes(user.role))
      throw new ForbiddenException(`This needs the ${roles.join(' or ')} role`);
    await next();
  };
  return Object.defineProperty(middleware, REQUIRES_ROLE, { value: [...roles] });
}

/** The roles a route's middleware requires (requireRole's), if it is requireRole's. */
export function requiredRoles(middleware: unknown): readonly string[] | undefined {
  return typeof middleware === 'function'
    ? (middleware as { [REQUIRES_ROLE]?: readonly string[] })[REQUIRES_ROLE]
    : undefined;
}

/** The authenticated user of a request that passed `requireAuth`. */
export function currentUser(ctx: Context): UserRecord {
  const user = ctx.state.user as UserRecord | undefined;
  if (!user) throw new UnauthorizedException('Not authenticated');
  return user;
}

/** The session id of a request that passed `requireAuth`. */
export function currentSessionId(ctx: Context): string {
  const sessionId = ctx.state.sessionId as string | undefined;
  if (!sessionId) throw new UnauthorizedException('Not authenticated');
  return sessionId;
}
