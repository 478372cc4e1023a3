// Hash: password hashing with bcrypt (default), argon2id or PBKDF2-SHA256. `check` reads the
// algorithm from the hash itself, so a project can change HASH_DRIVER and keep every old hash
// working (and `needsRehash` says which to upgrade at the next login).
import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import type Argon2 from 'argon2';
import type Bcrypt from 'bcrypt';
import type { HashDriverName } from '../config/settings.js';
import { requireOptional } from '../utils/optional-package.js';
import { libsSettings, onLibsConfigured } from './config.js';

// The native hashing modules load on first use: an app that never hashes (or never uses argon2) never pays for them.
const require = createRequire(import.meta.url);
let bcryptModule: typeof Bcrypt | undefined;
let argon2Module: typeof Argon2 | undefined;
const bcrypt = () => (bcryptModule ??= require('bcrypt') as typeof Bcrypt);
const argon2 = () =>
  (argon2Module ??= requireOptional('argon2', 'HASH_DRIVER=argon2', () => require('argon2') as typeof Argon2));

const pbkdf2Async = promisify(pbkdf2);

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

class BcryptHasher implements Hasher {
  constructor(readonly options: BcryptOptions) {}

  async make(password: string): Promise<string> {
    if (Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_BYTES)
      throw new RangeError(
        `Hash (bcrypt): a password longer than ${BCRYPT_MAX_BYTES} bytes would be truncated; refuse it before hashing (or use argon2)`,
      );
    return bcrypt().hash(password, this.options.rounds);
  }

  async check(password: string, hash: string): Promise<boolean> {
    if (Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_BYTES) return false;
    return bcrypt().compare(password, hash);
  }

  needsRehash(hash: string): boolean {
    const match = /^\$2[aby]\$(\d{2})\$/.exec(hash);
    return !match || Number(match[1]) !== this.options.rounds;
  }
}

class Argon2Hasher implements Hasher {
  constructor(readonly options: Argon2Options) {}

  make(password: string): Promise<string> {
    return argon2().hash(password, { type: argon2().argon2id, ...this.options });
  }

  async check(password: string, hash: string): Promise<boolean> {
    try {
      return await argon2().verify(hash, password);
    } catch {
      return false; // a malformed hash matches nothing
    }
  }

  needsRehash(hash: string): boolean {
    if (!hash.startsWith('$argon2id$')) return true;
    try {
      return argon2().needsRehash(hash, { ...this.options });
    } catch {
      return true; // malformed: make a new one
    }
  }
}

// Passlib's format (`$pbkdf2-sha256$<rounds>$<salt>$<checksum>`, "adapted" base64), so hashes made
// by the Python fastpy (passlib's pbkdf2_sha256) verify here and the other way round.
const ab64 = (buffer: Buffer) => buffer.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
const fromAb64 = (text: string) => Buffer.from(text.replace(/\./g, '+'), 'base64');
const PBKDF2_HASH = /^\$pbkdf2-sha256\$(\d+)\$([A-Za-z0-9./]*)\$([A-Za-z0-9./]{43})$/;

class Pbkdf2Hasher implements Hasher {
  constructor(readonly options: Pbkdf2Options) {}

  async make(password: string): Promise<string> {
    const salt = randomBytes(this.options.saltSize);
    const key = await pbkdf2Async(password, salt, this.options.rounds, 32, 'sha256');
    return `$pbkdf2-sha256$${this.options.rounds}$${ab64(salt)}$${ab64(key)}`;
  }

  async check(password: string, hash: string): Promise<boolean> {
    const match = PBKDF2_HASH.exec(hash);
    if (!match) return false;
    const expected = fromAb64(match[3]!);
    const key = await pbkdf2Async(password, fromAb64(match[2]!), Number(match[1]), expected.length, 'sha256');
    return timingSafeEqual(key, expected);
  }

  needsRehash(hash: string): boolean {
    const match = PBKDF2_HASH.exec(hash);
    return !match || Number(match[1]) !== this.options.rounds || fromAb64(match[2]!).length !== this.options.saltSize;
  }
}

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
