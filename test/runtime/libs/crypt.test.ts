// Crypt: Fernet against the spec's own test vectors, AES-256-CBC + HMAC, tampering, keys, values.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import test from 'ava';
import { AesCbcHmac, Crypt, DecryptError, Fernet } from '../../../runtime/libs/crypt/index.js';

interface Vector {
  desc?: string;
  token: string;
  now: string;
  secret: string;
  src?: string;
  iv?: number[];
  ttl_sec?: number;
}
const vectors = JSON.parse(readFileSync(new URL('./fernet-spec-vectors.json', import.meta.url), 'utf8')) as {
  generate: Vector[];
  verify: Vector[];
  invalid: Vector[];
};

test("Fernet generates the spec's tokens", (t) => {
  for (const vector of vectors.generate) {
    t.is(
      new Fernet(vector.secret).encrypt(Buffer.from(vector.src!), {
        now: new Date(vector.now),
        iv: Buffer.from(vector.iv!),
      }),
      vector.token,
    );
  }
});

test("Fernet verifies the spec's tokens", (t) => {
  for (const vector of vectors.verify) {
    t.is(
      new Fernet(vector.secret).decrypt(vector.token, { ttl: vector.ttl_sec, now: new Date(vector.now) }).toString(),
      vector.src!,
    );
  }
});

test("Fernet refuses every one of the spec's invalid tokens", (t) => {
  t.is(vectors.invalid.length, 11);
  for (const vector of vectors.invalid) {
    t.throws(
      () => new Fernet(vector.secret).decrypt(vector.token, { ttl: vector.ttl_sec, now: new Date(vector.now) }),
      { instanceOf: DecryptError },
      vector.desc,
    );
  }
});

test('Crypt round-trips strings and JSON values with either driver; Fernet tokens stay plain Fernet for strings', (t) => {
  const key = Crypt.generateKey();
  t.regex(key, /^[A-Za-z0-9_-]{43}=$/);
  Crypt.setKey(key);
  for (const value of [
    'secret data',
    '',
    'ünïcödé ✓',
    { user_id: 123, token: 'abc' },
    [1, 'two', null],
    42,
    true,
    null,
  ]) {
    t.deepEqual(Crypt.decrypt(Crypt.encrypt(value)), value);
    t.deepEqual(Crypt.driver('aes').decrypt(Crypt.driver('aes').encrypt(value)), value);
  }
  // Another Fernet implementation reads a string token as its bytes.
  t.is(new Fernet(key).decrypt(Crypt.encrypt('hello')).toString(), 'hello');
  t.not(Crypt.encrypt('same'), Crypt.encrypt('same'), 'a fresh IV each time');
});

test('tampering, another key and garbage are DecryptErrors that say so', (t) => {
  Crypt.setKey(Crypt.generateKey());
  for (const driver of ['fernet', 'aes']) {
    const token = Crypt.driver(driver).encrypt({ amount: 100 });
    const bytes = Buffer.from(token, 'base64url');
    bytes[bytes.length - 40]! ^= 1; // one bit of the ciphertext
    t.throws(
      () => Crypt.driver(driver).decrypt(bytes.toString('base64url')),
      { instanceOf: DecryptError, message: 'the token was tampered with or encrypted with another key' },
      driver,
    );
    const other = Crypt.generateKey();
    t.throws(() => (driver === 'fernet' ? new Fernet(other).decrypt(token) : new AesCbcHmac(other).decrypt(token)), {
      message: 'the token was tampered with or encrypted with another key',
    });
    t.throws(() => Crypt.driver(driver).decrypt('not a token!'), {
      instanceOf: DecryptError,
      message: 'the token is not URL-safe base64',
    });
    t.throws(() => Crypt.driver(driver).decrypt('gAAAAA'), { instanceOf: DecryptError, message: /too short/ });
  }
});

test('keys and drivers are checked; a TTL expires Fernet tokens', (t) => {
  t.throws(() => Crypt.setKey('short'), { message: /the key must be 32 bytes in URL-safe base64/ });
  t.throws(() => Crypt.driver('rot13'), { message: 'Crypt.driver(): unknown driver "rot13"; drivers: fernet, aes' });
  t.throws(() => Crypt.encrypt(undefined), { message: /a undefined cannot be encrypted/ });
  const fernet = new Fernet(Crypt.generateKey());
  const token = fernet.encrypt(Buffer.from('x'), { now: new Date('2026-01-01T00:00:00Z') });
  t.is(fernet.decrypt(token, { ttl: 60, now: new Date('2026-01-01T00:00:59Z') }).toString(), 'x');
  t.throws(() => fernet.decrypt(token, { ttl: 60, now: new Date('2026-01-01T00:01:01Z') }), {
    message: 'the token expired (older than 60 s)',
  });
});

// Python's `cryptography` (another Fernet implementation), where this machine has it.
const python = spawnSync('python3', ['-c', 'import cryptography.fernet'], { encoding: 'utf8' });
(python.status === 0 ? test : test.skip)("Fernet tokens interoperate with Python's cryptography, both ways", (t) => {
  const key = Crypt.generateKey();
  Crypt.setKey(key);
  const script =
    'import sys\nfrom cryptography.fernet import Fernet\nf = Fernet(sys.argv[1].encode())\nprint(f.decrypt(sys.argv[2].encode()).decode())\nprint(f.encrypt("from python ✓".encode()).decode())';
  const run = spawnSync('python3', ['-c', script, key, Crypt.encrypt('from node ✓')], { encoding: 'utf8' });
  t.is(run.status, 0, run.stderr);
  const [decrypted, token] = run.stdout.trim().split('\n');
  t.is(decrypted, 'from node ✓');
  t.is(Crypt.decrypt(token!), 'from python ✓');
});
