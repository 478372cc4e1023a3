// What the Crypt facade does and what its ciphers (Fernet, AES-256-CBC + HMAC: drivers/) share:
// how values become bytes, how keys and tokens are decoded, the one error a bad token gives.
import { FastpyError } from '../../utils/errors.js';

export class DecryptError extends FastpyError {
  constructor(message: string) {
    super('E_DECRYPT', message);
  }
}

/** A value as encrypted: strings as their UTF-8 bytes (so Fernet tokens interoperate); anything else as JSON after a marker. */
const JSON_MARKER = '\u0000json:';

export function serialise(value: unknown): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint')
    throw new TypeError(`Crypt.encrypt(): a ${typeof value} cannot be encrypted; pass a string or a JSON value`);
  return Buffer.from(JSON_MARKER + JSON.stringify(value), 'utf8');
}

export function deserialise(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  return text.startsWith(JSON_MARKER) ? JSON.parse(text.slice(JSON_MARKER.length)) : text;
}

export function decodeKey(key: string): Buffer {
  const bytes = /^[A-Za-z0-9_-]{43}=?$/.test(key) ? Buffer.from(key, 'base64url') : Buffer.alloc(0);
  if (bytes.length !== 32)
    throw new TypeError(
      'Crypt: the key must be 32 bytes in URL-safe base64 (44 characters), as Crypt.generateKey() makes',
    );
  return bytes;
}

export const strictBase64Url = (token: string): Buffer => {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(token)) throw new DecryptError('the token is not URL-safe base64');
  return Buffer.from(token, 'base64url');
};

export interface FernetOptions {
  /** Seconds a token stays valid (checked on decrypt); unset: forever. */
  ttl?: number;
  /** The current time, for tests (the spec's vectors). */
  now?: Date;
}

export interface Encrypter {
  /** Strings, or any JSON value (given back as it was). */
  encrypt(value: unknown): string;
  decrypt<T = unknown>(token: string, options?: FernetOptions): T;
}
