// What every hashing driver (bcrypt, argon2, pbkdf2: drivers/) does, and their options.

/** bcrypt reads at most 72 bytes: a longer password is refused, never silently truncated. */
export const BCRYPT_MAX_BYTES = 72;

export interface Hasher {
  make(password: string): Promise<string>;
  check(password: string, hash: string): Promise<boolean>;
  /** Whether the hash was made with other parameters (or another algorithm) than this hasher's. */
  needsRehash(hash: string): boolean;
}

export interface BcryptOptions {
  rounds: number;
}
export interface Argon2Options {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}
export interface Pbkdf2Options {
  rounds: number;
  saltSize: number;
}
