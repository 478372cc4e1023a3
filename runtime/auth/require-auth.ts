// Route protection: the TypeScript counterpart of FastAPI's Depends(get_current_active_user).
import type { Context, Middleware } from 'koa';
import type { UserRecord } from '../models/user.js';
import { UnauthorizedException } from '../utils/exceptions.js';
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
  return async function requireAuthMiddleware(ctx, next) {
    await authenticateRequest(auth, ctx);
    await next();
  };
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
