// Password hashing with bcrypt. bcrypt reads at most 72 bytes: longer passwords are refused
// (never silently truncated) by validation before they get here.
import bcrypt from 'bcrypt';

/** bcrypt's input limit in bytes (UTF-8). */
export const MAX_PASSWORD_BYTES = 72;

export function passwordBytes(password: string): number {
  return Buffer.byteLength(password, 'utf8');
}

export async function hashPassword(password: string, rounds: number): Promise<string> {
  if (passwordBytes(password) > MAX_PASSWORD_BYTES) throw new RangeError(`hashPassword(): a password longer than ${MAX_PASSWORD_BYTES} bytes would be truncated by bcrypt`);
  return bcrypt.hash(password, rounds);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (passwordBytes(password) > MAX_PASSWORD_BYTES) return false;
  return bcrypt.compare(password, hash);
}

/** A valid hash of no one's password: checked against when the e-mail is unknown, so both cases take as long. */
const dummyHashes = new Map<number, Promise<string>>();
export function dummyPasswordHash(rounds: number): Promise<string> {
  let hash = dummyHashes.get(rounds);
  if (!hash) {
    hash = bcrypt.hash('fastpy-timing-equaliser', rounds);
    dummyHashes.set(rounds, hash);
  }
  return hash;
}
