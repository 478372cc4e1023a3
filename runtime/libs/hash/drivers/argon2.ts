// argon2id, on the argon2 package (an optional one: fastpy add argon2), loaded on first use.
import { createRequire } from 'node:module';
import type Argon2 from 'argon2';
import { requireOptional } from '../../../utils/optional-package.js';
import type { Argon2Options, Hasher } from '../hasher.js';

const require = createRequire(import.meta.url);
let argon2Module: typeof Argon2 | undefined;
const argon2 = () =>
  (argon2Module ??= requireOptional('argon2', 'HASH_DRIVER=argon2', () => require('argon2') as typeof Argon2));

export class Argon2Hasher implements Hasher {
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
