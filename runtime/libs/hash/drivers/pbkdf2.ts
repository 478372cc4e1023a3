// PBKDF2-SHA256 in node:crypto.
import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Hasher, Pbkdf2Options } from '../hasher.js';

const pbkdf2Async = promisify(pbkdf2);

// Passlib's format (`$pbkdf2-sha256$<rounds>$<salt>$<checksum>`, "adapted" base64), so hashes made
// by the Python fastpy (passlib's pbkdf2_sha256) verify here and the other way round.
const ab64 = (buffer: Buffer) => buffer.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
const fromAb64 = (text: string) => Buffer.from(text.replace(/\./g, '+'), 'base64');
const PBKDF2_HASH = /^\$pbkdf2-sha256\$(\d+)\$([A-Za-z0-9./]*)\$([A-Za-z0-9./]{43})$/;

export class Pbkdf2Hasher implements Hasher {
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
