// Hash: password hashing. `fastpy libs hash --usage` prints this file; the tests run it.
import assert from 'node:assert/strict';
import { Hash } from '#libs';

// Hash a password (bcrypt unless HASH_DRIVER says otherwise)
const hashed = await Hash.make('password');

// Verify a password: the algorithm is read from the hash
if (await Hash.check('password', hashed)) console.log('Password is valid!');
assert.equal(await Hash.check('wrong', hashed), false);

// Check if a rehash is needed (after raising the cost, or changing HASH_DRIVER)
if (Hash.needsRehash(hashed)) await Hash.make('password');

// Use a specific algorithm
const argon = await Hash.driver('argon2').make('password'); // argon2id (recommended for new apps)
const bcrypted = await Hash.driver('bcrypt').make('password'); // bcrypt (the default)
const pbkdf2 = await Hash.driver('sha256').make('password'); // PBKDF2-SHA256 (passlib's format)
for (const hash of [argon, bcrypted, pbkdf2]) assert.ok(await Hash.check('password', hash));

// Configure bcrypt rounds
Hash.configure('bcrypt', { rounds: 12 });
assert.ok((await Hash.driver('bcrypt').make('password')).startsWith('$2b$12$'));
