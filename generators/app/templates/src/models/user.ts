// The User model: the users table as the app reads it. Authentication owns name, email,
// password_hash, is_active, email_verified_at and role; the columns you add are yours. Add one with a
// migration (npx knex migrate:make add_phone_to_users), then its field here: registration takes it
// (checked by its rules, a 422 naming every problem), /api/auth/me and login show it (unless hidden),
// the factories fill it and the API docs describe it. README.md, "Your users' own columns", has an
// example of both.
import { userModel, type UserRecord } from 'fastpy-runtime/database';
import type { FieldDefinition } from 'fastpy-runtime/fields';

/** The fields you added to users, in the field language: e.g. parseFieldSpec('phone:string:nullable,max:32'). */
export const userFields: readonly FieldDefinition[] = [];

/** A user's record; with fields of your own, userModel<UserRecord & { phone: string | null }>(…). */
export const User = userModel<UserRecord>({ fields: userFields });
