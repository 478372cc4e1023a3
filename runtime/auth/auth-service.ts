// Authentication: registration, login (with lockout), rotating refresh tokens with reuse detection,
// sessions that logout and password changes really end, password reset and e-mail verification.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Settings } from '../config/settings.js';
import { dialectOf, type Dialect } from '../database/dialects.js';
import type { Mailer } from '../libs/mail/message.js';
import { toIsoDateTime, type Model } from '../models/base-model.js';
import { User, type UserRecord } from '../models/user.js';
import { BaseRepository } from '../repositories/base-repository.js';
import {
  BadRequestException,
  ForbiddenException,
  RateLimitException,
  UnauthorizedException,
  ValidationException,
} from '../utils/exceptions.js';
import type { Logger } from '../utils/logger.js';
import { LoginThrottle } from './login-throttle.js';
import { Hash } from '../libs/hash/manager.js';
import {
  dummyPasswordHash,
  hashPassword,
  passwordNeedsRehash,
  verifyPassword,
  type PasswordHasher,
} from './passwords.js';
import { hashToken, InvalidTokenError, randomToken, signAccessToken, verifyAccessToken } from './tokens.js';

/** The OAuth2 token response. */
export interface TokenPair {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
}

/** Who is calling, recorded on the session. */
export interface ClientInfo {
  ip: string;
  userAgent?: string;
}

export interface Authenticated {
  user: UserRecord;
  sessionId: string;
}

type OneTimePurpose = 'password_reset' | 'email_verification';

const INVALID_CREDENTIALS = 'Incorrect email or password';
const INVALID_REFRESH = 'Invalid or expired refresh token';
const INVALID_ONE_TIME = 'Invalid or expired token';

export interface AuthServiceDependencies {
  db: Knex;
  settings: Settings;
  mailer: Mailer;
  logger: Logger;
  /** The project's User model (src/models/user.ts), with the columns it added. Default: authentication's columns only. */
  users?: Model<UserRecord>;
  /** What passwords are hashed with: the project's Hash facade (its facades, src/bootstrap.ts). Default: the runtime's. */
  hasher?: PasswordHasher;
}

/** What registration takes: the account, and values of the User model's own fields (checked by the caller). */
export interface RegisterInput {
  name: string;
  email: string;
  password: string;
  [field: string]: unknown;
}

/** Rows of the auth tables as they are read (timestamps and ids as the driver gives them). */
interface SessionRow {
  id: string;
  user_id: number | string;
  revoked_at: unknown;
  expires_at: unknown;
}

interface RefreshTokenRow {
  id: number;
  session_id: string;
  token_hash: string;
  used_at: unknown;
  expires_at: unknown;
}

interface OneTimeTokenRow {
  id: number;
  user_id: number | string;
  token_hash: string;
  purpose: string;
  used_at: unknown;
  expires_at: unknown;
}

/**
 * @example
 * const auth = new AuthService({ db, settings, mailer, logger });
 * const { tokens, user } = await auth.login('ada@example.com', 'correct horse', { ip: '203.0.113.7' });
 */
export class AuthService {
  readonly users: BaseRepository<UserRecord>;
  private readonly db: Knex;
  private readonly settings: Settings;
  private readonly mailer: Mailer;
  private readonly hasher: PasswordHasher;
  private readonly logger: Logger;
  private readonly dialect: Dialect;
  private readonly throttle: LoginThrottle;

  constructor(dependencies: AuthServiceDependencies) {
    ({ db: this.db, settings: this.settings, mailer: this.mailer, logger: this.logger } = dependencies);
    this.hasher = dependencies.hasher ?? Hash;
    this.users = new BaseRepository(this.db, dependencies.users ?? User);
    this.dialect = dialectOf(this.db);
    this.throttle = new LoginThrottle(this.db, {
      maxAttempts: this.settings.auth.loginMaxAttempts,
      lockoutMinutes: this.settings.auth.loginLockoutMinutes,
    });
  }

  private get tokenSettings() {
    return {
      secretKey: this.settings.secretKey,
      issuer: this.settings.appName,
      expireMinutes: this.settings.accessTokenExpireMinutes,
    };
  }

  private at(date: Date): Date | string {
    return this.dialect.timestamp(date);
  }

  private isPast(value: unknown, now = Date.now()): boolean {
    return Date.parse(toIsoDateTime(value)!) <= now;
  }

  /** The User model accounts are read and written with. */
  get userModel(): Model<UserRecord> {
    return this.users.model;
  }

  /**
   * Creates an account and sends the e-mail verification message. Values of the User model's own
   * fields are written with it (their foreign keys checked first: a 422 naming a missing record).
   */
  async register(input: RegisterInput): Promise<UserRecord> {
    const { name, email, password, ...fields } = input;
    const own = new Set(this.users.model.fields.map((field) => field.name));
    const unknown = Object.keys(fields).filter((field) => !own.has(field));
    if (unknown.length > 0)
      throw new TypeError(`register(): ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not a field of User`);
    await this.users.checkReferences(fields);
    const user = await this.users.create({
      ...fields,
      name: name.trim(),
      email: normaliseEmail(email),
      password_hash: await hashPassword(password, this.hasher),
      is_active: true,
    });
    await this.sendVerification(user);
    return user;
  }

  /** Checks credentials (with lockout) and opens a session. */
  async login(
    emailInput: string,
    password: string,
    client: ClientInfo,
  ): Promise<{ tokens: TokenPair; user: UserRecord }> {
    const email = normaliseEmail(emailInput);
    const key = this.throttle.key(email, client.ip);
    const retryAfter = await this.throttle.retryAfter(key);
    if (retryAfter > 0) throw new RateLimitException('Too many failed login attempts; try again later', { retryAfter });

    const user = await this.users.findBy('email', email);
    // An unknown e-mail is checked against a dummy hash: both failures cost one hash comparison.
    const valid = await verifyPassword(
      password,
      user?.password_hash ?? (await dummyPasswordHash(this.hasher)),
      this.hasher,
    );
    if (!user || !valid) {
      await this.throttle.recordFailure(key);
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    if (!user.is_active) throw new ForbiddenException('This account is disabled');
    await this.throttle.clear(key);
    if (passwordNeedsRehash(user.password_hash, this.hasher)) {
      await this.users.update(user.id, { password_hash: await hashPassword(password, this.hasher) });
    }
    const tokens = await this.openSession(user, client);
    return { tokens, user };
  }

  private async openSession(user: UserRecord, client: ClientInfo): Promise<TokenPair> {
    const sessionId = randomUUID();
    const now = new Date();
    await this.db('auth_sessions').insert({
      id: sessionId,
      user_id: user.id,
      created_at: this.at(now),
      last_used_at: this.at(now),
      expires_at: this.at(this.refreshExpiry(now)),
      user_agent: client.userAgent?.slice(0, 255) ?? null,
      ip: client.ip.slice(0, 45),
    });
    return this.issueTokens(this.db, user.id, sessionId, now);
  }

  private refreshExpiry(from: Date): Date {
    return new Date(from.getTime() + this.settings.refreshTokenExpireDays * 86_400_000);
  }

  private async issueTokens(
    db: Knex | Knex.Transaction,
    userId: number,
    sessionId: string,
    now: Date,
  ): Promise<TokenPair> {
    const refreshToken = randomToken();
    await db('refresh_tokens').insert({
      session_id: sessionId,
      token_hash: hashToken(refreshToken),
      created_at: this.at(now),
      expires_at: this.at(this.refreshExpiry(now)),
    });
    const access = await signAccessToken({ userId, sessionId }, this.tokenSettings);
    return {
      access_token: access.token,
      token_type: 'bearer',
      expires_in: access.expiresIn,
      refresh_token: refreshToken,
    };
  }

  /** Exchanges a refresh token for a new pair. A token used twice revokes its whole session (family). */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const row = await this.db<RefreshTokenRow>('refresh_tokens').where('token_hash', hashToken(refreshToken)).first();
    if (!row) throw new UnauthorizedException(INVALID_REFRESH);
    const session = await this.db<SessionRow>('auth_sessions').where('id', row.session_id).first();
    if (!session || session.revoked_at !== null) throw new UnauthorizedException(INVALID_REFRESH);
    if (row.used_at !== null) {
      await this.revokeSession(session.id, 'refresh_token_reuse');
      this.logger.warn({ sessionId: session.id, userId: session.user_id }, 'refresh token reused: session revoked');
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    if (this.isPast(row.expires_at) || this.isPast(session.expires_at))
      throw new UnauthorizedException(INVALID_REFRESH);
    const user = await this.users.find(Number(session.user_id));
    if (!user) throw new UnauthorizedException(INVALID_REFRESH);
    if (!user.is_active) throw new ForbiddenException('This account is disabled');

    const now = new Date();
    const rotated = await this.db.transaction(async (trx) => {
      // Claiming the token and checking that this request was the one to claim it is what makes two
      // concurrent uses of one token count as reuse.
      const claimed = await trx('refresh_tokens')
        .where('id', row.id)
        .whereNull('used_at')
        .update({ used_at: this.at(now) });
      if (claimed !== 1) return undefined;
      await trx('auth_sessions')
        .where('id', session.id)
        .update({ last_used_at: this.at(now), expires_at: this.at(this.refreshExpiry(now)) });
      return this.issueTokens(trx, user.id, session.id, now);
    });
    if (!rotated) {
      await this.revokeSession(session.id, 'refresh_token_reuse');
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    return rotated;
  }

  /** The user and session behind an access token; 401 for any invalid or revoked token, 403 for an inactive user. */
  async authenticate(accessToken: string): Promise<Authenticated> {
    let claims;
    try {
      claims = await verifyAccessToken(accessToken, this.tokenSettings);
    } catch (error) {
      if (error instanceof InvalidTokenError)
        throw new UnauthorizedException(error.reason === 'expired' ? 'Token has expired' : 'Invalid token');
      throw error;
    }
    const session = await this.db<SessionRow>('auth_sessions')
      .where('id', claims.sid)
      .first('user_id', 'revoked_at', 'expires_at');
    if (
      !session ||
      session.revoked_at !== null ||
      this.isPast(session.expires_at) ||
      String(session.user_id) !== claims.sub
    ) {
      throw new UnauthorizedException('Invalid token');
    }
    const user = await this.users.find(Number(claims.sub));
    if (!user) throw new UnauthorizedException('Invalid token');
    if (!user.is_active) throw new ForbiddenException('This account is disabled');
    return { user, sessionId: claims.sid };
  }

  /** Ends a session: its refresh tokens and every access token issued for it stop working. */
  async logout(sessionId: string, refreshToken?: string): Promise<void> {
    await this.revokeSession(sessionId, 'logout');
    if (refreshToken) {
      const row = await this.db<RefreshTokenRow>('refresh_tokens')
        .where('token_hash', hashToken(refreshToken))
        .first('session_id');
      const session = row
        ? await this.db<SessionRow>('auth_sessions').where('id', row.session_id).first('user_id')
        : undefined;
      const own = await this.db<SessionRow>('auth_sessions').where('id', sessionId).first('user_id');
      if (row && session && own && session.user_id === own.user_id) await this.revokeSession(row.session_id, 'logout');
    }
  }

  private async revokeSession(sessionId: string, reason: string): Promise<void> {
    await this.db('auth_sessions')
      .where('id', sessionId)
      .whereNull('revoked_at')
      .update({ revoked_at: this.at(new Date()), revoked_reason: reason });
  }

  private async revokeUserSessions(userId: number, reason: string, except?: string): Promise<void> {
    const query = this.db('auth_sessions').where('user_id', userId).whereNull('revoked_at');
    if (except) query.whereNot('id', except);
    await query.update({ revoked_at: this.at(new Date()), revoked_reason: reason });
  }

  /** Changes the password and ends every other session of the user. */
  async changePassword(
    user: UserRecord,
    sessionId: string,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    if (!(await verifyPassword(currentPassword, user.password_hash, this.hasher))) {
      throw new ValidationException('Current password is incorrect', {
        errors: { current_password: ['is incorrect'] },
      });
    }
    await this.users.update(user.id, { password_hash: await hashPassword(newPassword, this.hasher) });
    await this.revokeUserSessions(user.id, 'password_changed', sessionId);
  }

  /** Sends a reset link when the address belongs to an active account; says nothing either way. */
  async forgotPassword(emailInput: string): Promise<void> {
    const user = await this.users.findBy('email', normaliseEmail(emailInput));
    if (!user || !user.is_active) return;
    const token = await this.createOneTimeToken(
      user.id,
      'password_reset',
      this.settings.auth.passwordResetExpireMinutes * 60_000,
    );
    this.deliver({
      to: user.email,
      subject: 'Reset your password',
      text: [
        `Hello ${user.name},`,
        '',
        `Choose a new password here (the link works once, for ${this.settings.auth.passwordResetExpireMinutes} minutes):`,
        this.link('reset-password', token),
        '',
        'If you did not ask for this, ignore this message: your password stays as it is.',
      ].join('\n'),
    });
  }

  /** Sets a new password with a reset token (single use) and ends every session of the user. */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    const userId = await this.consumeOneTimeToken(token, 'password_reset');
    await this.users.update(userId, { password_hash: await hashPassword(newPassword, this.hasher) });
    await this.db('one_time_tokens')
      .where({ user_id: userId, purpose: 'password_reset' })
      .whereNull('used_at')
      .update({ used_at: this.at(new Date()) });
    await this.revokeUserSessions(userId, 'password_reset');
  }

  /** Marks the address verified with a verification token (single use). */
  async verifyEmail(token: string): Promise<UserRecord> {
    const userId = await this.consumeOneTimeToken(token, 'email_verification');
    const user = await this.users.findOrFail(userId);
    return user.email_verified_at ? user : this.users.update(userId, { email_verified_at: new Date() });
  }

  /** Sends a verification link; false when the address is already verified. */
  async sendVerification(user: UserRecord): Promise<boolean> {
    if (user.email_verified_at) return false;
    const hours = this.settings.auth.emailVerificationExpireHours;
    const token = await this.createOneTimeToken(user.id, 'email_verification', hours * 3_600_000);
    this.deliver({
      to: user.email,
      subject: 'Verify your e-mail address',
      text: [
        `Hello ${user.name},`,
        '',
        `Confirm your address here (the link works once, for ${hours} hours):`,
        this.link('verify-email', token),
      ].join('\n'),
    });
    return true;
  }

  /** A link in an e-mail: to FRONTEND_URL's page, or without one to the API's own (GET /api/auth/…). */
  private link(page: 'reset-password' | 'verify-email', token: string): string {
    const base = this.settings.frontendUrl ?? `${this.settings.appUrl}/api/auth`;
    return `${base}/${page}?token=${encodeURIComponent(token)}`;
  }

  private async createOneTimeToken(userId: number, purpose: OneTimePurpose, ttlMs: number): Promise<string> {
    const token = randomToken();
    const now = new Date();
    await this.db('one_time_tokens').insert({
      user_id: userId,
      purpose,
      token_hash: hashToken(token),
      created_at: this.at(now),
      expires_at: this.at(new Date(now.getTime() + ttlMs)),
    });
    return token;
  }

  /** Claims a one-time token atomically; the same token never works twice. */
  private async consumeOneTimeToken(token: string, purpose: OneTimePurpose): Promise<number> {
    const row = await this.db<OneTimeTokenRow>('one_time_tokens')
      .where({ token_hash: hashToken(token), purpose })
      .first();
    if (!row || row.used_at !== null || this.isPast(row.expires_at)) throw new BadRequestException(INVALID_ONE_TIME);
    const claimed = await this.db('one_time_tokens')
      .where('id', row.id)
      .whereNull('used_at')
      .update({ used_at: this.at(new Date()) });
    if (claimed !== 1) throw new BadRequestException(INVALID_ONE_TIME);
    const user = await this.users.find(Number(row.user_id));
    if (!user || !user.is_active) throw new BadRequestException(INVALID_ONE_TIME);
    return user.id;
  }

  /** Sends without making the request wait (or fail) on the mail provider. */
  private deliver(message: { to: string; subject: string; text: string }): void {
    this.mailer
      .send(message)
      .catch((error: unknown) =>
        this.logger.error({ err: error, to: message.to, subject: message.subject }, 'mail could not be sent'),
      );
  }
}

/** E-mail addresses are compared and stored lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
