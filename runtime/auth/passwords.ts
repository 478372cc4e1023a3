// Passwords, through the Hash facade (HASH_DRIVER: bcrypt by default, argon2 or pbkdf2) or the
// project's copy of it (fastpy eject libs/hash; the project's facades reach AuthService through
// appServices): any hash a project ever made still checks, and needsRehash() says when to upgrade
// one at login. bcrypt reads at most 72 bytes: longer passwords are refused by validation before
// they get here.
import { Hash } from '../libs/hash/manager.js';

/** What passwords are hashed with: the Hash facade, or an ejected copy of it. */
export type PasswordHasher = Pick<typeof Hash, 'make' | 'check' | 'needsRehash' | 'driver'>;

/** bcrypt's input limit in bytes (UTF-8): the longest password accepted, whatever the driver. */
export const MAX_PASSWORD_BYTES = 72;

export function passwordBytes(password: string): number {
  return Buffer.byteLength(password, 'utf8');
}

export async function hashPassword(password: string, hasher: PasswordHasher = Hash): Promise<string> {
  if (passwordBytes(password) > MAX_PASSWORD_BYTES)
    throw new RangeError(
      `hashPassword(): a password longer than ${MAX_PASSWORD_BYTES} bytes is refused (bcrypt would truncate it)`,
    );
  return hasher.make(password);
}

export async function verifyPassword(password: string, hash: string, hasher: PasswordHasher = Hash): Promise<boolean> {
  if (passwordBytes(password) > MAX_PASSWORD_BYTES) return false;
  return hasher.check(password, hash);
}

/** Whether a stored hash should be remade (another algorithm, or weaker parameters than now). */
export function passwordNeedsRehash(hash: string, hasher: PasswordHasher = Hash): boolean {
  return hasher.needsRehash(hash);
}

/** A valid hash of no one's password: checked against when the e-mail is unknown, so both cases take as long. */
const dummyHashes = new WeakMap<PasswordHasher, Map<string, Promise<string>>>();
export function dummyPasswordHash(hasher: PasswordHasher = Hash): Promise<string> {
  let made = dummyHashes.get(hasher);
  if (!made) dummyHashes.set(hasher, (made = new Map<string, Promise<string>>()));
  const key = JSON.stringify(hasher.driver());
  let hash = made.get(key);
  if (!hash) {
    hash = hasher.make('fastpy-timing-equaliser');
    made.set(key, hash);
  }
  return hash;
}
