// Login lockout: failed attempts per account+client kept in the database (so every app instance
// sees them); `maxAttempts` failures within the lockout window lock that pair until the oldest of
// them leaves the window.
import type { Knex } from 'knex';
import { dialectOf, type Dialect } from '../database/dialects.js';
import { toIsoDateTime } from '../models/base-model.js';
import { hashToken } from './tokens.js';

export interface LoginThrottleOptions {
  maxAttempts: number;
  lockoutMinutes: number;
}

export class LoginThrottle {
  private readonly dialect: Dialect;
  private readonly windowMs: number;

  constructor(
    private readonly db: Knex,
    private readonly options: LoginThrottleOptions,
  ) {
    this.dialect = dialectOf(db);
    this.windowMs = options.lockoutMinutes * 60_000;
  }

  /** The key of an account+client pair (hashed: neither e-mail nor IP is stored in clear). */
  key(email: string, ip: string): string {
    return hashToken(`${email.trim().toLowerCase()}|${ip}`);
  }

  /** Seconds until the pair may try again, or 0 when it is not locked. */
  async retryAfter(key: string, now = Date.now()): Promise<number> {
    const recent = await this.db<{ created_at: unknown }>('login_failures')
      .where('key', key)
      .where('created_at', '>', this.dialect.timestamp(new Date(now - this.windowMs)))
      .orderBy('created_at', 'desc')
      .limit(this.options.maxAttempts)
      .select('created_at');
    if (recent.length < this.options.maxAttempts) return 0;
    const oldest = Date.parse(toIsoDateTime(recent.at(-1)!.created_at)!);
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  async recordFailure(key: string, now = Date.now()): Promise<void> {
    await this.db('login_failures').insert({ key, created_at: this.dialect.timestamp(new Date(now)) });
    await this.db('login_failures')
      .where('key', key)
      .where('created_at', '<=', this.dialect.timestamp(new Date(now - this.windowMs)))
      .delete();
  }

  async clear(key: string): Promise<void> {
    await this.db('login_failures').where('key', key).delete();
  }
}
