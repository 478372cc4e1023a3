// Crypt: authenticated encryption with the project's APP_KEY. Fernet (the default) follows the
// Fernet spec, so its tokens interoperate with Python's `cryptography` and every other Fernet
// implementation; "aes" is AES-256-CBC with an HMAC-SHA256 over IV and ciphertext. Tampering, a
// wrong key or a malformed token is a DecryptError — never garbage.
import { randomBytes } from 'node:crypto';
import { libsSettings, onLibsConfigured } from '../config.js';
import { AesCbcHmac } from './drivers/aes-cbc-hmac.js';
import { Fernet } from './drivers/fernet.js';
import { decodeKey, deserialise, serialise, type Encrypter, type FernetOptions } from './encrypter.js';

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
