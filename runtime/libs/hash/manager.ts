// Hash: password hashing with bcrypt (default), argon2id or PBKDF2-SHA256. `check` reads the
// algorithm from the hash itself, so a project can change HASH_DRIVER and keep every old hash
// working (and `needsRehash` says which to upgrade at the next login).
import type { HashDriverName } from '../../config/settings.js';
import { libsSettings, onLibsConfigured } from '../config.js';
import { Argon2Hasher } from './drivers/argon2.js';
import { BcryptHasher } from './drivers/bcrypt.js';
import { Pbkdf2Hasher } from './drivers/pbkdf2.js';
import type { Argon2Options, BcryptOptions, Hasher, Pbkdf2Options } from './hasher.js';

/** The algorithm a hash was made with, from its prefix. */
export function hashAlgorithm(hash: string): HashDriverName | undefined {
  if (/^\$2[aby]\$\d{2}\$/.test(hash)) return 'bcrypt';
  if (/^\$argon2(id|i|d)\$/.test(hash)) return 'argon2';
  if (hash.startsWith('$pbkdf2-sha256$')) return 'pbkdf2';
  return undefined;
}

const ALIASES: Record<string, HashDriverName> = {
  bcrypt: 'bcrypt',
  argon2: 'argon2',
  argon2id: 'argon2',
  pbkdf2: 'pbkdf2',
  'pbkdf2-sha256': 'pbkdf2',
  sha256: 'pbkdf2',
};

function driverName(name: string): HashDriverName {
  const driver = ALIASES[name.toLowerCase()];
  if (!driver)
    throw new TypeError(`Hash.driver(): unknown driver "${name}"; drivers: bcrypt, argon2, pbkdf2 (or sha256)`);
  return driver;
}

class HashManager implements Hasher {
  #overrides: Partial<Record<HashDriverName, object>> = {};
  #drivers = new Map<HashDriverName, Hasher>();

  constructor() {
    onLibsConfigured(() => this.#drivers.clear());
  }

  /** A hasher for one algorithm: `Hash.driver('argon2').make(password)`. */
  driver(name: string = libsSettings().hash.driver): Hasher {
    const driver = driverName(name);
    let hasher = this.#drivers.get(driver);
    if (!hasher) {
      const settings = libsSettings();
      if (driver === 'bcrypt')
        hasher = new BcryptHasher({ rounds: settings.auth.bcryptRounds, ...this.#overrides.bcrypt });
      else if (driver === 'argon2') hasher = new Argon2Hasher({ ...settings.hash.argon2, ...this.#overrides.argon2 });
      else
        hasher = new Pbkdf2Hasher({ rounds: settings.hash.pbkdf2Iterations, saltSize: 16, ...this.#overrides.pbkdf2 });
      this.#drivers.set(driver, hasher);
    }
    return hasher;
  }

  /** Changes an algorithm's parameters: `Hash.configure('bcrypt', { rounds: 14 })`. */
  configure(name: 'bcrypt', options: Partial<BcryptOptions>): void;
  configure(name: 'argon2', options: Partial<Argon2Options>): void;
  configure(name: 'pbkdf2' | 'sha256', options: Partial<Pbkdf2Options>): void;
  configure(name: string, options: object): void {
    const driver = driverName(name);
    const rounds = (options as { rounds?: unknown }).rounds;
    if (
      driver === 'bcrypt' &&
      rounds !== undefined &&
      (!Number.isInteger(rounds) || (rounds as number) < 4 || (rounds as number) > 31)
    )
      throw new RangeError(
        `Hash.configure('bcrypt'): rounds must be an integer from 4 to 31 (got ${JSON.stringify(rounds)})`,
      );
    this.#overrides[driver] = { ...this.#overrides[driver], ...options };
    this.#drivers.delete(driver);
  }

  /** Hashes with the default algorithm (HASH_DRIVER, bcrypt unless set). */
  make(password: string): Promise<string> {
    return this.driver().make(password);
  }

  /** Checks a password against a hash made by any of the algorithms. */
  check(password: string, hash: string): Promise<boolean> {
    const algorithm = hashAlgorithm(hash);
    return algorithm ? this.driver(algorithm).check(password, hash) : Promise.resolve(false);
  }

  /** True when the hash is not the default algorithm with its current parameters. */
  needsRehash(hash: string): boolean {
    return this.driver().needsRehash(hash);
  }
}

/**
 * @example
 * const hashed = await Hash.make('password');
 * await Hash.check('password', hashed); // true
 * if (Hash.needsRehash(hashed)) await Hash.make('password');
 */
export const Hash = new HashManager();
