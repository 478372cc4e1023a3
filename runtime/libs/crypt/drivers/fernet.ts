// Fernet, to the spec: tokens interoperate with Python's `cryptography` and every other Fernet.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeKey, DecryptError, strictBase64Url, type FernetOptions } from '../encrypter.js';

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
