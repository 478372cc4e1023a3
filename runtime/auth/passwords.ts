// Passwords, through the Hash facade (HASH_DRIVER: bcrypt by default, argon2 or pbkdf2): any hash
// a project ever made still checks, and needsRehash() says when to upgrade one at login. bcrypt
// reads at most 72 bytes: longer passwords are refused by validation before they get here.
import { Hash } from '../libs/hash/manager.js';

/** bcrypt's input limit in bytes (UTF-8): the longest password accepted, whatever the driver. */
export const MAX_PASSWORD_BYTES = 72;

export function passwordBytes(password: string): number {
  return Buffer.byteLength(password, 'utf8');
}

export async function hashPassword(password: string): Promise<string> {
  if (passwordBytes(password) > MAX_PASSWORD_BYTES)
    throw new RangeError(
      `hashPassword(): a password longer than ${MAX_PASSWORD_BYTES} bytes is refused (bcrypt would truncate it)`,
    );
  return Hash.make(password);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (passwordBytes(password) > MAX_PASSWORD_BYTES) return false;
  return Hash.check(password, hash);
}

/** Whether a stored hash should be remade (another algorithm, or weaker parameters than now). */
export function passwordNeedsRehash(hash: string): boolean {
  return Hash.needsRehash(hash);
}

/** A valid hash of no one's password: checked against when the e-mail is unknown, so both cases take as long. */
const dummyHashes = new Map<string, Promise<string>>();
export function dummyPasswordHash(): Promise<string> {
  const key = JSON.stringify(Hash.driver());
  let hash = dummyHashes.get(key);
  if (!hash) {
    hash = Hash.make('fastpy-timing-equaliser');
    dummyHashes.set(key, hash);
  }
  return hash;
}
