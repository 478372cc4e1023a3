// bcrypt (the default). The native module loads on first use; a password over 72 bytes is refused.
import { createRequire } from 'node:module';
import type Bcrypt from 'bcrypt';
import { BCRYPT_MAX_BYTES, type BcryptOptions, type Hasher } from '../hasher.js';

const require = createRequire(import.meta.url);
let bcryptModule: typeof Bcrypt | undefined;
const bcrypt = () => (bcryptModule ??= require('bcrypt') as typeof Bcrypt);

export class BcryptHasher implements Hasher {
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
