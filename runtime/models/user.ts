// The User model: what a users row holds, and how it reads the same on every database. A project
// declares its own (src/models/user.ts: userModel() with the columns it added) and gives it to the
// app, the console and the test kit; `User` is the model of a project that added none.
import type { FieldDefinition } from '../fields/spec.js';
import { BASE_COLUMNS, Model, type BaseRecord, type Cast } from './base-model.js';

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

/** The columns of users that authentication owns: a project's user fields are the other ones. */
export const AUTH_USER_COLUMNS = ['name', 'email', 'password_hash', 'is_active', 'email_verified_at', 'role'] as const;

export interface UserModelDefinition {
  /**
   * The project's own columns of users (a migration adds each), in the field language: registration
   * takes them (validated as a resource's fields are), `me` and login show them, the factories fill
   * them and the OpenAPI document describes them.
   */
  fields?: readonly FieldDefinition[];
  /** Casts of columns beyond the fields' own. */
  casts?: Record<string, Cast>;
  /** Columns never sent to clients, besides password_hash. */
  hidden?: readonly string[];
}

/**
 * The User model of a project, with the columns it added to users.
 *
 * @example
 * export const userFields = [parseFieldSpec('phone:string:nullable,max:32')];
 * export const User = userModel<UserRecord & { phone: string | null }>({ fields: userFields });
 */
export function userModel<TRecord extends UserRecord = UserRecord>(
  definition: UserModelDefinition = {},
): Model<TRecord> {
  const fields = definition.fields ?? [];
  const builtIn = new Set<string>([...BASE_COLUMNS, ...AUTH_USER_COLUMNS]);
  const clash = fields.find((field) => builtIn.has(field.name));
  if (clash)
    throw new TypeError(
      `userModel(): users already have a "${clash.name}" column (authentication's own): give the field another name`,
    );
  return new Model<TRecord>({
    name: 'User',
    table: 'users',
    fields,
    casts: { is_active: 'boolean', email_verified_at: 'datetime', ...definition.casts },
    hidden: ['password_hash', ...(definition.hidden ?? [])],
    // Users are read through /api/auth/me, behind the token: included from anywhere, they need it too.
    access: 'bearer',
  });
}

/** The model of users with authentication's columns only. */
export const User = userModel();
