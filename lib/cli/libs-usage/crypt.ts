// Crypt: encryption with APP_KEY. `fastpy libs crypt --usage` prints this file; the tests run it.
import assert from 'node:assert/strict';
import { Crypt, DecryptError } from '#libs';

// Generate an encryption key (once; save it in .env as APP_KEY — new projects have one)
const key = Crypt.generateKey();

// Set the key (or let Crypt read APP_KEY)
Crypt.setKey(key);

// Encrypt data
const encrypted = Crypt.encrypt('secret data');

// Encrypt complex data (JSON-serialised, and given back as it was)
const token = Crypt.encrypt({ user_id: 123, token: 'abc' });

// Decrypt
assert.equal(Crypt.decrypt(encrypted), 'secret data');
const data = Crypt.decrypt<{ user_id: number; token: string }>(token);
assert.deepEqual(data, { user_id: 123, token: 'abc' });

// Use a specific driver: AES-256-CBC with HMAC-SHA256 (the default is Fernet)
const aes = Crypt.driver('aes').encrypt('secret');
assert.equal(Crypt.driver('aes').decrypt(aes), 'secret');

// A changed token is refused, never decrypted to garbage
const tampered = `${encrypted.slice(0, 20)}${encrypted[20] === 'A' ? 'B' : 'A'}${encrypted.slice(21)}`;
assert.throws(() => Crypt.decrypt(tampered), DecryptError);
