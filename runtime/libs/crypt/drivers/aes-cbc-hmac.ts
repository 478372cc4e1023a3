// AES-256-CBC with an HMAC-SHA256 over IV and ciphertext (CRYPT_DRIVER=aes).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeKey, DecryptError, strictBase64Url } from '../encrypter.js';

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
