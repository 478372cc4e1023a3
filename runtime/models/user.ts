// The User model: what a users row holds, and how it reads the same on every database.
import { Model, type BaseRecord } from './base-model.js';

/** The roles a user may have: `user` (everyone's, by default) and `admin` (sees and changes all records). */
export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface UserRecord extends BaseRecord {
  name: string;
  /** Always lower-case: e-mail addresses are unique case-insensitively. */
  email: string;
  password_hash: string;
  is_active: boolean;
  email_verified_at: string | null;
  /** `user` unless made an admin (`fastpy user:admin <email>`). */
  role: UserRole;
}

export const User = new Model<UserRecord>({
  name: 'User',
  table: 'users',
  casts: { is_active: 'boolean', email_verified_at: 'datetime' },
  hidden: ['password_hash'],
  // Users are read through /api/auth/me, behind the token: included from anywhere, they need it too.
  access: 'bearer',
});
