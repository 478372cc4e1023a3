// Hash: each algorithm makes and checks; check() reads the algorithm from the hash; needsRehash()
// notices another algorithm or other parameters.
import test from 'ava';
import { configureLibs } from '../../../runtime/libs/config.js';
import { Hash, hashAlgorithm } from '../../../runtime/libs/hash/index.js';
import { loadSettings } from '../../../runtime/config/settings.js';

// Cheap parameters: these tests are about behaviour, not cost.
const settings = (env: Record<string, string> = {}) =>
  loadSettings({
    NODE_ENV: 'test',
    BCRYPT_ROUNDS: '4',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    ARGON2_PARALLELISM: '1',
    PBKDF2_ITERATIONS: '1000',
    ...env,
  });

test.serial('bcrypt is the default; make, check, wrong passwords and over-long ones', async (t) => {
  configureLibs(settings());
  const hashed = await Hash.make('password');
  t.regex(hashed, /^\$2b\$04\$/);
  t.true(await Hash.check('password', hashed));
  t.false(await Hash.check('Password', hashed));
  await t.throwsAsync(Hash.make('x'.repeat(73)), { message: /longer than 72 bytes would be truncated/ });
  t.false(await Hash.check('x'.repeat(73), hashed));
});

test.serial("argon2id and pbkdf2-sha256 by name (sha256 is the seed's name for it)", async (t) => {
  configureLibs(settings());
  const argon = await Hash.driver('argon2').make('password');
  t.regex(argon, /^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
  const pbkdf2 = await Hash.driver('sha256').make('password');
  t.regex(pbkdf2, /^\$pbkdf2-sha256\$1000\$[A-Za-z0-9./]{22}\$[A-Za-z0-9./]{43}$/);
  for (const hashed of [argon, pbkdf2]) {
    t.true(await Hash.check('password', hashed), hashed);
    t.false(await Hash.check('wrong', hashed), hashed);
  }
  t.deepEqual([argon, pbkdf2, '$2b$04$abc', 'plain'].map(hashAlgorithm), ['argon2', 'pbkdf2', 'bcrypt', undefined]);
  t.false(await Hash.check('password', 'plain'), 'an unknown format matches nothing');
  t.false(await Hash.check('password', '$argon2id$broken'), 'a malformed hash matches nothing');
});

test.serial("pbkdf2-sha256 hashes are passlib's format: one made by Python's hashlib verifies", async (t) => {
  configureLibs(settings());
  // hashlib.pbkdf2_hmac('sha256', b'password', bytes(range(16)), 29000), written as passlib writes it.
  t.true(
    await Hash.check(
      'password',
      '$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw$oQniwjLkYbajNGr0RGSng8udgXKplgpN15LZNV56KTQ',
    ),
  );
  t.false(
    await Hash.check(
      'passwore',
      '$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw$oQniwjLkYbajNGr0RGSng8udgXKplgpN15LZNV56KTQ',
    ),
  );
});

test.serial(
  'needsRehash: another algorithm, other rounds; configure() and HASH_DRIVER change the default',
  async (t) => {
    configureLibs(settings());
    const bcrypt4 = await Hash.make('password');
    t.false(Hash.needsRehash(bcrypt4));
    Hash.configure('bcrypt', { rounds: 5 });
    t.true(Hash.needsRehash(bcrypt4), 'rounds went up');
    t.regex(await Hash.make('password'), /^\$2b\$05\$/);
    t.throws(() => Hash.configure('bcrypt', { rounds: 3 }), {
      message: "Hash.configure('bcrypt'): rounds must be an integer from 4 to 31 (got 3)",
    });
    t.throws(() => Hash.driver('md5'), {
      message: 'Hash.driver(): unknown driver "md5"; drivers: bcrypt, argon2, pbkdf2 (or sha256)',
    });

    configureLibs(settings({ HASH_DRIVER: 'argon2' }));
    t.true(Hash.needsRehash(bcrypt4), 'the default is argon2 now');
    t.true(await Hash.check('password', bcrypt4), 'old bcrypt hashes still check');
    const argon = await Hash.make('password');
    t.regex(argon, /^\$argon2id\$/);
    t.false(Hash.needsRehash(argon));
    Hash.configure('argon2', { timeCost: 2 });
    t.true(Hash.needsRehash(argon));
    Hash.configure('argon2', { timeCost: 1 });
    Hash.configure('bcrypt', { rounds: 4 });
  },
);
