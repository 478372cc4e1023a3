// Auth building blocks in isolation: token signing and verification, password hashing limits,
// and the lockout window (on an in-memory SQLite).
import test from 'ava';
import { SignJWT } from 'jose';
import knex, { type Knex } from 'knex';
import { LoginThrottle } from '../../runtime/auth/login-throttle.js';
import { hashPassword, MAX_PASSWORD_BYTES, verifyPassword } from '../../runtime/auth/passwords.js';
import {
  hashToken,
  InvalidTokenError,
  randomToken,
  signAccessToken,
  verifyAccessToken,
} from '../../runtime/auth/tokens.js';
import { loadSettings } from '../../runtime/config/settings.js';
import { knexConfigFromUrl } from '../../runtime/database/dialects.js';
import { configureLibs } from '../../runtime/libs/config.js';

// Hash (behind hashPassword) at bcrypt's cheapest cost.
configureLibs(loadSettings({ NODE_ENV: 'test', BCRYPT_ROUNDS: '4' }));
const settings = { secretKey: 'k'.repeat(10) + 'a-test-secret-of-some-length', issuer: 'unit-api', expireMinutes: 30 };

test('access tokens round-trip with their claims', async (t) => {
  const { token, expiresIn, jti } = await signAccessToken({ userId: 42, sessionId: 'session-1' }, settings);
  t.is(expiresIn, 1800);
  const claims = await verifyAccessToken(token, settings);
  t.like(claims, { sub: '42', sid: 'session-1', jti, type: 'access' });
});

test('verification names why a token is refused', async (t) => {
  const { token } = await signAccessToken({ userId: 1, sessionId: 's' }, settings);
  const reason = async (candidate: string, options = settings) =>
    (await t.throwsAsync(verifyAccessToken(candidate, options), { instanceOf: InvalidTokenError }))?.reason;
  t.is(await reason(token, { ...settings, secretKey: 'another-secret-another-secret-00' }), 'signature');
  t.is(await reason(token, { ...settings, issuer: 'other-api' }), 'claims');
  t.is(await reason('not.a.jwt'), 'malformed');
  const key = new TextEncoder().encode(settings.secretKey);
  const base = () =>
    new SignJWT({ type: 'access', sid: 's', jti: 'j' })
      .setSubject('1')
      .setIssuer('unit-api')
      .setAudience('unit-api')
      .setIssuedAt();
  t.is(await reason(await base().setProtectedHeader({ alg: 'HS384' }).setExpirationTime('10m').sign(key)), 'algorithm');
  t.is(
    await reason(
      await base()
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(Math.floor(Date.now() / 1000) - 5)
        .sign(key),
    ),
    'expired',
  );
  const refresh = await new SignJWT({ type: 'refresh', sid: 's', jti: 'j' })
    .setSubject('1')
    .setIssuer('unit-api')
    .setAudience('unit-api')
    .setIssuedAt()
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('10m')
    .sign(key);
  t.is(await reason(refresh), 'type');
  // Signed with the right key, but never expiring: refused (it would be valid for ever).
  t.is(await reason(await base().setProtectedHeader({ alg: 'HS256' }).sign(key)), 'claims');
  t.is(
    await reason(
      await new SignJWT({ type: 'access', sid: 's', jti: 'j' })
        .setSubject('1')
        .setIssuer('unit-api')
        .setAudience('unit-api')
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('10m')
        .sign(key),
    ),
    'claims',
    'no iat',
  );
});

test('random tokens are long and unique; only their hash is stored', (t) => {
  const a = randomToken();
  t.regex(a, /^[A-Za-z0-9_-]{43}$/);
  t.not(a, randomToken());
  t.regex(hashToken(a), /^[0-9a-f]{64}$/);
  t.is(hashToken(a), hashToken(a));
});

test('passwords: bcrypt round trip, and more than 72 bytes refused rather than truncated', async (t) => {
  const hash = await hashPassword('correct horse');
  t.regex(hash, /^\$2b\$04\$/, 'through Hash, with the configured rounds');
  t.true(await verifyPassword('correct horse', hash));
  t.false(await verifyPassword('correct horsf', hash));
  const long = 'x'.repeat(MAX_PASSWORD_BYTES + 1);
  await t.throwsAsync(hashPassword(long), { instanceOf: RangeError });
  // bcrypt would accept a 73-byte password whose first 72 bytes match: we do not.
  const hash72 = await hashPassword('x'.repeat(72));
  t.false(await verifyPassword(long, hash72));
});

let db: Knex;
test.before(async () => {
  db = knex(knexConfigFromUrl('sqlite::memory:'));
  await db.schema.createTable('login_failures', (table) => {
    table.increments('id');
    table.string('key', 64);
    table.string('created_at');
  });
});
test.after.always(() => db.destroy());

test.serial('lockout: max failures in the window lock until the oldest leaves it; success clears', async (t) => {
  const throttle = new LoginThrottle(db, { maxAttempts: 3, lockoutMinutes: 10 });
  const key = throttle.key(' Ada@Example.com ', '203.0.113.1');
  t.is(key, throttle.key('ada@example.com', '203.0.113.1'));
  t.not(key, throttle.key('ada@example.com', '203.0.113.2'));
  const start = Date.parse('2026-11-27T10:00:00.000Z');
  await throttle.recordFailure(key, start);
  await throttle.recordFailure(key, start + 60_000);
  t.is(await throttle.retryAfter(key, start + 61_000), 0);
  await throttle.recordFailure(key, start + 120_000);
  t.is(await throttle.retryAfter(key, start + 121_000), 600 - 121 + 0);
  // Ten minutes after the first failure it leaves the window: two remain, below the limit.
  t.is(await throttle.retryAfter(key, start + 600_001), 0);
  await throttle.clear(key);
  t.is((await db('login_failures').where('key', key)).length, 0);
});
