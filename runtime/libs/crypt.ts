// Crypt: authenticated encryption with the project's APP_KEY. Fernet (the default) follows the
// Fernet spec, so its tokens interoperate with Python's `cryptography` and every other Fernet
// implementation; "aes" is AES-256-CBC with an HMAC-SHA256 over IV and ciphertext. Tampering, a
// wrong key or a malformed token is a DecryptError — never garbage.
import { FastpyError } from '../utils/errors.js';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { libsSettings, onLibsConfigured } from './config.js';

export class DecryptError extends FastpyError {
  constructor(message: string) {
    super('E_DECRYPT', message);
  }
}

/** A value as encrypted: strings as their UTF-8 bytes (so Fernet tokens interoperate); anything else as JSON after a marker. */
const JSON_MARKER = '\u0000json:';

function serialise(value: unknown): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint')
    throw new TypeError(`Crypt.encrypt(): a ${typeof value} cannot be encrypted; pass a string or a JSON value`);
  return Buffer.from(JSON_MARKER + JSON.stringify(value), 'utf8');
}

function deserialise(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  return text.startsWith(JSON_MARKER) ? JSON.parse(text.slice(JSON_MARKER.length)) : text;
}

function decodeKey(key: string): Buffer {
  const bytes = /^[A-Za-z0-9_-]{43}=?$/.test(key) ? Buffer.from(key, 'base64url') : Buffer.alloc(0);
  if (bytes.length !== 32)
    throw new TypeError(
      'Crypt: the key must be 32 bytes in URL-safe base64 (44 characters), as Crypt.generateKey() makes',
    );
  return bytes;
}

const strictBase64Url = (token: string): Buffer => {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(token)) throw new DecryptError('the token is not URL-safe base64');
  return Buffer.from(token, 'base64url');
};

export interface FernetOptions {
  /** Seconds a token stays valid (checked on decrypt); unset: forever. */
  ttl?: number;
  /** The current time, for tests (the spec's vectors). */
  now?: Date;
}

/** Fernet, to the spec (github.com/fernet/spec): version 0x80, 64-bit timestamp, AES-128-CBC, HMAC-SHA256. */
export class Fernet {
  static readonly VERSION = 0x80;
  /** Tokens from further in the future than this are refused (the spec's clock-skew rule). */
  static readonly MAX_CLOCK_SKEW_SECONDS = 60;
  readonly #signingKey: Buffer;
  readonly #encryptionKey: Buffer;

  constructor(key: string) {
    const bytes = decodeKey(key);
    this.#signingKey = bytes.subarray(0, 16);
    this.#encryptionKey = bytes.subarray(16);
  }

  encrypt(data: Buffer, options: { now?: Date; iv?: Buffer } = {}): string {
    const iv = options.iv ?? randomBytes(16);
    const header = Buffer.alloc(9);
    header[0] = Fernet.VERSION;
    header.writeBigUInt64BE(BigInt(Math.floor((options.now ?? new Date()).getTime() / 1000)), 1);
    const cipher = createCipheriv('aes-128-cbc', this.#encryptionKey, iv);
    const body = Buffer.concat([header, iv, cipher.update(data), cipher.final()]);
    const hmac = createHmac('sha256', this.#signingKey).update(body).digest();
    // URL-safe base64 with its padding, as the spec's tokens are.
    return Buffer.concat([body, hmac]).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  }

  decrypt(token: string, options: FernetOptions = {}): Buffer {
    const bytes = strictBase64Url(token);
    if (bytes.length < 1 + 8 + 16 + 16 + 32 || (bytes.length - 57) % 16 !== 0)
      throw new DecryptError('the token is too short or its ciphertext is not whole AES blocks');
    if (bytes[0] !== Fernet.VERSION) throw new DecryptError(`unknown token version 0x${bytes[0]!.toString(16)}`);
    const body = bytes.subarray(0, bytes.length - 32);
    const expected = createHmac('sha256', this.#signingKey).update(body).digest();
    if (!timingSafeEqual(expected, bytes.subarray(bytes.length - 32)))
      throw new DecryptError('the token was tampered with or encrypted with another key');
    const issued = Number(bytes.readBigUInt64BE(1));
    const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
    if (issued > now + Fernet.MAX_CLOCK_SKEW_SECONDS)
      throw new DecryptError('the token is from the future (clock skew)');
    if (options.ttl !== undefined && issued + options.ttl < now)
      throw new DecryptError(`the token expired (older than ${options.ttl} s)`);
    try {
      const decipher = createDecipheriv('aes-128-cbc', this.#encryptionKey, body.subarray(9, 25));
      return Buffer.concat([decipher.update(body.subarray(25)), decipher.final()]);
    } catch {
      throw new DecryptError('the token does not decrypt (bad padding)');
    }
  }
}

/** AES-256-CBC + HMAC-SHA256 (encrypt-then-MAC), with keys for each derived from APP_KEY by HKDF. */
export class AesCbcHmac {
  readonly #encryptionKey: Buffer;
  readonly #macKey: Buffer;

  constructor(key: string) {
    const bytes = decodeKey(key);
    this.#encryptionKey = Buffer.from(hkdfSync('sha256', bytes, Buffer.alloc(0), 'fastpy aes-256-cbc encryption', 32));
    this.#macKey = Buffer.from(hkdfSync('sha256', bytes, Buffer.alloc(0), 'fastpy aes-256-cbc hmac', 32));
  }

  encrypt(data: Buffer): string {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', this.#encryptionKey, iv);
    const body = Buffer.concat([iv, cipher.update(data), cipher.final()]);
    return Buffer.concat([body, createHmac('sha256', this.#macKey).update(body).digest()]).toString('base64url');
  }

  decrypt(token: string): Buffer {
    const bytes = strictBase64Url(token);
    if (bytes.length < 16 + 16 + 32 || (bytes.length - 48) % 16 !== 0)
      throw new DecryptError('the token is too short or its ciphertext is not whole AES blocks');
    const body = bytes.subarray(0, bytes.length - 32);
    if (!timingSafeEqual(createHmac('sha256', this.#macKey).update(body).digest(), bytes.subarray(bytes.length - 32)))
      throw new DecryptError('the token was tampered with or encrypted with another key');
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.#encryptionKey, body.subarray(0, 16));
      return Buffer.concat([decipher.update(body.subarray(16)), decipher.final()]);
    } catch {
      throw new DecryptError('the token does not decrypt (bad padding)');
    }
  }
}

export interface Encrypter {
  /** Strings, or any JSON value (given back as it was). */
  encrypt(value: unknown): string;
  decrypt<T = unknown>(token: string, options?: FernetOptions): T;
}

class CryptManager implements Encrypter {
  #key: string | undefined;

  constructor() {
    onLibsConfigured(() => (this.#key = undefined));
  }

  /** A new random key (32 bytes, URL-safe base64): put it in .env as APP_KEY. */
  generateKey(): string {
    return randomBytes(32).toString('base64url') + '=';
  }

  /** Uses this key instead of APP_KEY. */
  setKey(key: string): void {
    decodeKey(key);
    this.#key = key;
  }

  #currentKey(): string {
    const key = this.#key ?? libsSettings().crypt.key;
    if (!key)
      throw new TypeError(
        'Crypt: no key. Set APP_KEY in .env (make one: node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))") or call Crypt.setKey()',
      );
    return key;
  }

  /** One algorithm: `Crypt.driver('aes').encrypt('secret')`. */
  driver(name: string = libsSettings().crypt.driver): Encrypter {
    if (name !== 'fernet' && name !== 'aes')
      throw new TypeError(`Crypt.driver(): unknown driver "${name}"; drivers: fernet, aes`);
    const key = () => this.#currentKey();
    return {
      encrypt: (value) =>
        name === 'fernet'
          ? new Fernet(key()).encrypt(serialise(value))
          : new AesCbcHmac(key()).encrypt(serialise(value)),
      decrypt: <T>(token: string, options?: FernetOptions) =>
        deserialise(
          name === 'fernet' ? new Fernet(key()).decrypt(token, options) : new AesCbcHmac(key()).decrypt(token),
        ) as T,
    };
  }

  encrypt(value: unknown): string {
    return this.driver().encrypt(value);
  }

  decrypt<T = unknown>(token: string, options?: FernetOptions): T {
    return this.driver().decrypt<T>(token, options);
  }
}

/**
 * @example
 * Crypt.setKey(Crypt.generateKey());
 * const token = Crypt.encrypt({ userId: 123 });
 * Crypt.decrypt(token); // { userId: 123 }
 */
export const Crypt = new CryptManager();
