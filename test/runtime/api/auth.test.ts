// Authentication end to end through createApp() on every database: every /api/auth endpoint, and the attacks
// it must withstand (forged, expired, alg-none and wrong-type tokens, refresh reuse, logout then
// reuse, reset-token reuse, account enumeration, brute force).
import { randomUUID } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { decodeJwt, SignJWT } from 'jose';
import type { Knex } from 'knex';
import { ArrayMailer } from '../../../runtime/libs/mail/index.js';
import { createLogger } from '../../../runtime/utils/index.js';
import { assertError, client } from '../../../runtime/testing/kit.js';
import { onEveryDatabase } from '../../helpers/framework-suite.js';

onEveryDatabase('api_auth', ({ it, ready, buildApp, testSettings }) => {
  let db: Knex;
  const mailer = new ArrayMailer();
  const settings = testSettings();
  const PASSWORD = 'correct horse battery';

  test.before(async () => {
    db = await ready();
  });

  const app = (overrides: Parameters<typeof buildApp>[0] = { db }) => buildApp({ mailer, ...overrides });
  const api = () => client(app());
  const newEmail = () => `user-${randomUUID()}@example.com`;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function register(email = newEmail(), password = PASSWORD) {
    const response = await api().post('/api/auth/register').send({ name: 'Ada Lovelace', email, password });
    if (response.status !== 201) throw new Error(`register failed: ${JSON.stringify(response.body)}`);
    return { email, password, user: response.body.data };
  }

  async function login(email: string, password = PASSWORD) {
    const response = await api().post('/api/auth/login/json').send({ email, password });
    if (response.status !== 200) throw new Error(`login failed: ${JSON.stringify(response.body)}`);
    return response.body.data as {
      access_token: string;
      refresh_token: string;
      expires_in: number;
      user: Record<string, unknown>;
    };
  }

  /** The one-time token in the last mail to an address. */
  function mailedToken(email: string, subject: RegExp): string {
    const message = mailer.lastTo(email);
    if (!message || !subject.test(message.subject)) throw new Error(`no "${subject}" mail to ${email}`);
    return /token=([A-Za-z0-9_-]+)/.exec(message.text)![1]!;
  }

  const secret = new TextEncoder().encode(settings.secretKey);

  /** A JWT signed with the app's own secret but with chosen claims and algorithm. */
  async function craftToken(
    claims: Record<string, unknown>,
    options: { alg?: string; exp?: number | null; key?: Uint8Array } = {},
  ) {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: options.alg ?? 'HS256' })
      .setIssuer(settings.appName)
      .setAudience(settings.appName)
      .setIssuedAt();
    // exp: null leaves the expiry out (a token that would never expire).
    if (options.exp !== null) jwt.setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 600);
    return jwt.sign(options.key ?? secret);
  }

  async function assertUnauthorized(t: ExecutionContext, token: string, why: string) {
    const response = await api().get('/api/auth/me').set(bearer(token));
    assertError(t, response, 401, 'UNAUTHORIZED');
    t.is(response.headers['www-authenticate'], 'Bearer', why);
  }

  it('register creates the user (e-mail lower-cased, no hash) and sends a verification mail', async (t) => {
    const email = newEmail().toUpperCase();
    const response = await api().post('/api/auth/register').send({ name: 'Ada', email, password: PASSWORD });
    t.is(response.status, 201);
    t.like(response.body, {
      success: true,
      message: 'User registered',
      data: { name: 'Ada', email: email.toLowerCase(), is_active: true, email_verified_at: null },
    });
    t.notRegex(response.text, /password/);
    t.regex(mailer.lastTo(email.toLowerCase())!.subject, /Verify your e-mail/);
  });

  it('register: the same e-mail in another case is a 409 naming the field', async (t) => {
    const { email } = await register();
    const response = await api()
      .post('/api/auth/register')
      .send({ name: 'Twin', email: email.toUpperCase(), password: PASSWORD });
    assertError(t, response, 409, 'CONFLICT');
    t.deepEqual(response.body.errors, { email: ['has already been taken'] });
  });

  it('register: every invalid field is a 422 naming it', async (t) => {
    const missing = await api().post('/api/auth/register').send({});
    assertError(t, missing, 422, 'VALIDATION_ERROR');
    t.deepEqual(Object.keys(missing.body.errors).sort(), ['email', 'name', 'password']);
    const bad = await api().post('/api/auth/register').send({ name: 'A', email: 'not-an-email', password: 'short' });
    t.deepEqual(bad.body.errors.email, ['email must be a valid e-mail address']);
    t.deepEqual(bad.body.errors.password, ['password must be at least 8 characters']);
    const unknown = await api()
      .post('/api/auth/register')
      .send({ name: 'A', email: newEmail(), password: PASSWORD, is_active: false });
    assertError(t, unknown, 422, 'VALIDATION_ERROR');
    t.deepEqual(unknown.body.errors, { is_active: ['is not an allowed field'] });
  });

  it('a password over 72 bytes is a 422, never silently truncated', async (t) => {
    const long = 'é'.repeat(37); // 37 characters, 74 bytes
    const response = await api().post('/api/auth/register').send({ name: 'A', email: newEmail(), password: long });
    assertError(t, response, 422, 'VALIDATION_ERROR');
    t.deepEqual(response.body.errors.password, ['password must be at most 72 bytes']);
    const exact = await api()
      .post('/api/auth/register')
      .send({ name: 'A', email: newEmail(), password: 'é'.repeat(36) });
    t.is(exact.status, 201);
  });

  it('form login answers with the bare OAuth2 token response', async (t) => {
    const { email } = await register();
    const response = await api()
      .post('/api/auth/login')
      .type('form')
      .send({ username: email, password: PASSWORD, grant_type: 'password', scope: '' });
    t.is(response.status, 200);
    t.deepEqual(Object.keys(response.body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    t.is(response.body.token_type, 'bearer');
    t.is(response.body.expires_in, settings.accessTokenExpireMinutes * 60);
    t.is(response.headers['cache-control'], 'no-store');
    const claims = decodeJwt(response.body.access_token);
    t.like(claims, { type: 'access', iss: settings.appName });
    t.is(typeof claims.jti, 'string');
    t.is(claims.exp! - claims.iat!, settings.accessTokenExpireMinutes * 60);
  });

  it('form login takes multipart/form-data too (curl -F), and the refresh_token grant on the same endpoint', async (t) => {
    const { email } = await register();
    const multipart = await api().post('/api/auth/login').field('username', email).field('password', PASSWORD);
    t.is(multipart.status, 200, JSON.stringify(multipart.body));
    t.is(multipart.body.token_type, 'bearer');
    const refreshed = await api()
      .post('/api/auth/login')
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: multipart.body.refresh_token });
    t.is(refreshed.status, 200, JSON.stringify(refreshed.body));
    t.deepEqual(Object.keys(refreshed.body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    t.not(refreshed.body.refresh_token, multipart.body.refresh_token, 'the refresh token rotates');
    assertError(
      t,
      await api()
        .post('/api/auth/login')
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: multipart.body.refresh_token }),
      401,
      'UNAUTHORIZED',
    );
    const unsupported = await api().post('/api/auth/login').type('form').send({ grant_type: 'client_credentials' });
    assertError(t, unsupported, 422, 'VALIDATION_ERROR');
    t.deepEqual(unsupported.body.errors, { grant_type: ['must be password or refresh_token'] });
    const file = await api()
      .post('/api/auth/login')
      .field('username', email)
      .attach('password', Buffer.from(PASSWORD), 'password.txt');
    assertError(t, file, 422, 'VALIDATION_ERROR');
    t.deepEqual(file.body.errors, { password: ['must be a text field, not a file'] });
    assertError(
      t,
      await api()
        .post('/api/auth/login')
        .set('content-type', 'multipart/form-data; boundary=x')
        .send('not a multipart body'),
      400,
      'BAD_REQUEST',
    );
  });

  it('JSON login answers in the envelope, with the user', async (t) => {
    const { email } = await register();
    const response = await api().post('/api/auth/login/json').send({ email: email.toUpperCase(), password: PASSWORD });
    t.is(response.status, 200);
    t.like(response.body, { success: true, data: { token_type: 'bearer', user: { email } } });
    t.false('password_hash' in response.body.data.user);
  });

  it('unknown e-mail and wrong password give the same 401', async (t) => {
    const { email } = await register();
    const wrong = await api().post('/api/auth/login/json').send({ email, password: 'not the password' });
    const unknown = await api().post('/api/auth/login/json').send({ email: newEmail(), password: 'not the password' });
    assertError(t, wrong, 401, 'UNAUTHORIZED');
    assertError(t, unknown, 401, 'UNAUTHORIZED');
    t.is(wrong.body.message, unknown.body.message);
  });

  it('me returns the current user, never the hash', async (t) => {
    const { email } = await register();
    const { access_token } = await login(email);
    const response = await api().get('/api/auth/me').set(bearer(access_token));
    t.is(response.status, 200);
    t.is(response.body.data.email, email);
    t.notRegex(response.text, /password|\$2[aby]\$/);
  });

  it('protected routes refuse a missing or malformed Authorization header', async (t) => {
    for (const header of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not a token', 'Bearer abc.def.ghi']) {
      const request = api().get('/api/auth/me');
      const response = await (header ? request.set('Authorization', header) : request);
      assertError(t, response, 401, 'UNAUTHORIZED');
      t.is(response.headers['www-authenticate'], 'Bearer', String(header));
    }
  });

  it('forged, expired, alg-none, wrong-algorithm and wrong-type tokens are refused', async (t) => {
    const { email } = await register();
    const { access_token } = await login(email);
    const { sub, sid } = decodeJwt(access_token) as { sub: string; sid: string };
    // The same claims, signed with another key.
    await assertUnauthorized(
      t,
      await craftToken(
        { type: 'access', sub, sid, jti: randomUUID() },
        { key: new TextEncoder().encode('x'.repeat(48)) },
      ),
      'forged',
    );
    // Expired a minute ago.
    const expired = await craftToken(
      { type: 'access', sub, sid, jti: randomUUID() },
      { exp: Math.floor(Date.now() / 1000) - 60 },
    );
    const expiredResponse = await api().get('/api/auth/me').set(bearer(expired));
    assertError(t, expiredResponse, 401, 'UNAUTHORIZED');
    t.is(expiredResponse.body.message, 'Token has expired');
    // alg: none, no signature.
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const none = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...decodeJwt(access_token), exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    await assertUnauthorized(t, none, 'alg none');
    // Right key, other algorithm: the algorithm is pinned.
    await assertUnauthorized(
      t,
      await craftToken({ type: 'access', sub, sid, jti: randomUUID() }, { alg: 'HS512' }),
      'HS512',
    );
    // A refresh-type token, and a token with no type.
    await assertUnauthorized(t, await craftToken({ type: 'refresh', sub, sid, jti: randomUUID() }), 'refresh type');
    await assertUnauthorized(t, await craftToken({ sub, sid, jti: randomUUID() }), 'no type');
    await assertUnauthorized(
      t,
      await craftToken({ type: 'access', sub, sid, jti: randomUUID() }, { exp: null }),
      'no exp: it would never expire',
    );
    // The refresh token itself is not an access token.
    const { refresh_token } = await login(email);
    await assertUnauthorized(t, refresh_token, 'refresh token as bearer');
    // A well-signed token naming someone else's session.
    await assertUnauthorized(
      t,
      await craftToken({ type: 'access', sub: String(Number(sub) + 1), sid, jti: randomUUID() }),
      'other user',
    );
    // The genuine token still works.
    t.is((await api().get('/api/auth/me').set(bearer(access_token))).status, 200);
  });

  it('refresh rotates: the old refresh token is dead, the new pair works', async (t) => {
    const { email } = await register();
    const first = await login(email);
    const response = await api().post('/api/auth/refresh').send({ refresh_token: first.refresh_token });
    t.is(response.status, 200);
    const second = response.body.data;
    t.not(second.refresh_token, first.refresh_token);
    t.not(second.access_token, first.access_token);
    t.is((await api().get('/api/auth/me').set(bearer(second.access_token))).status, 200);
    assertError(t, await api().post('/api/auth/refresh').send({ refresh_token: 'made-up-token' }), 401, 'UNAUTHORIZED');
  });

  it('reusing a refresh token revokes the whole family, access tokens included', async (t) => {
    const { email } = await register();
    const first = await login(email);
    const second = (await api().post('/api/auth/refresh').send({ refresh_token: first.refresh_token })).body.data;
    // An attacker replays the first (already used) refresh token.
    assertError(
      t,
      await api().post('/api/auth/refresh').send({ refresh_token: first.refresh_token }),
      401,
      'UNAUTHORIZED',
    );
    // The legitimate client's newer tokens are dead too.
    assertError(
      t,
      await api().post('/api/auth/refresh').send({ refresh_token: second.refresh_token }),
      401,
      'UNAUTHORIZED',
    );
    await assertUnauthorized(t, second.access_token, 'family revoked');
    // Another session of the same user is untouched.
    const other = await login(email);
    t.is((await api().get('/api/auth/me').set(bearer(other.access_token))).status, 200);
  });

  it('logout kills the access token before it expires, and its refresh token', async (t) => {
    const { email } = await register();
    const session = await login(email);
    const response = await api().post('/api/auth/logout').set(bearer(session.access_token)).send({});
    t.is(response.status, 200);
    await assertUnauthorized(t, session.access_token, 'after logout');
    assertError(
      t,
      await api().post('/api/auth/refresh').send({ refresh_token: session.refresh_token }),
      401,
      'UNAUTHORIZED',
    );
  });

  it('change-password: a wrong current password is a 422; success ends the other sessions only', async (t) => {
    const { email } = await register();
    const current = await login(email);
    const other = await login(email);
    const wrong = await api()
      .post('/api/auth/change-password')
      .set(bearer(current.access_token))
      .send({ current_password: 'nope', new_password: 'a brand new secret' });
    assertError(t, wrong, 422, 'VALIDATION_ERROR');
    t.deepEqual(wrong.body.errors, { current_password: ['is incorrect'] });

    const changed = await api()
      .post('/api/auth/change-password')
      .set(bearer(current.access_token))
      .send({ current_password: PASSWORD, new_password: 'a brand new secret' });
    t.is(changed.status, 200);
    t.is((await api().get('/api/auth/me').set(bearer(current.access_token))).status, 200);
    await assertUnauthorized(t, other.access_token, 'other session after password change');
    assertError(
      t,
      await api().post('/api/auth/refresh').send({ refresh_token: other.refresh_token }),
      401,
      'UNAUTHORIZED',
    );
    assertError(t, await api().post('/api/auth/login/json').send({ email, password: PASSWORD }), 401, 'UNAUTHORIZED');
    t.truthy(await login(email, 'a brand new secret'));
  });

  it('forgot-password always answers 200 the same way (no account enumeration)', async (t) => {
    const { email } = await register();
    const known = await api().post('/api/auth/forgot-password').send({ email });
    const unknown = await api().post('/api/auth/forgot-password').send({ email: newEmail() });
    t.is(known.status, 200);
    t.is(unknown.status, 200);
    t.is(known.body.message, unknown.body.message);
    t.deepEqual(known.body.data, unknown.body.data);
    t.regex(mailer.lastTo(email)!.subject, /Reset your password/);
  });

  it('reset-password: the token works once, ends every session, and sets the new password', async (t) => {
    const { email } = await register();
    const session = await login(email);
    await api().post('/api/auth/forgot-password').send({ email });
    const token = mailedToken(email, /Reset your password/);
    const reset = await api().post('/api/auth/reset-password').send({ token, new_password: 'reset to this one' });
    t.is(reset.status, 200);
    const again = await api().post('/api/auth/reset-password').send({ token, new_password: 'and again this one' });
    assertError(t, again, 400, 'BAD_REQUEST');
    await assertUnauthorized(t, session.access_token, 'session after reset');
    assertError(t, await api().post('/api/auth/login/json').send({ email, password: PASSWORD }), 401, 'UNAUTHORIZED');
    t.truthy(await login(email, 'reset to this one'));
    assertError(
      t,
      await api().post('/api/auth/reset-password').send({ token: 'guessed', new_password: 'whatever it is' }),
      400,
      'BAD_REQUEST',
    );
  });

  it('reset-password: an expired token is refused', async (t) => {
    const { email } = await register();
    await api().post('/api/auth/forgot-password').send({ email });
    const token = mailedToken(email, /Reset your password/);
    const { createHash } = await import('node:crypto');
    await db('one_time_tokens')
      .where('token_hash', createHash('sha256').update(token).digest('hex'))
      .update({
        expires_at:
          settings.database.driver === 'sqlite' ? '2000-01-01T00:00:00.000Z' : new Date('2000-01-01T00:00:00Z'),
      });
    assertError(
      t,
      await api().post('/api/auth/reset-password').send({ token, new_password: 'too late for this' }),
      400,
      'BAD_REQUEST',
    );
  });

  it('verify-email marks the address verified once; send-verification sends a new link until then', async (t) => {
    const { email } = await register();
    const { access_token } = await login(email);
    const resent = await api().post('/api/auth/send-verification').set(bearer(access_token));
    t.is(resent.body.message, 'Verification e-mail sent');
    const token = mailedToken(email, /Verify your e-mail/);
    const verified = await api().post('/api/auth/verify-email').send({ token });
    t.is(verified.status, 200);
    t.regex(verified.body.data.email_verified_at, /Z$/);
    assertError(t, await api().post('/api/auth/verify-email').send({ token }), 400, 'BAD_REQUEST');
    const after = await api().post('/api/auth/send-verification').set(bearer(access_token));
    t.is(after.body.message, 'Email already verified');
    t.regex((await api().get('/api/auth/me').set(bearer(access_token))).body.data.email_verified_at, /Z$/);
  });

  it("without FRONTEND_URL the e-mails link to the API's own pages, which verify the address and reset the password", async (t) => {
    const { email } = await register();
    const { access_token } = await login(email);
    await api().post('/api/auth/send-verification').set(bearer(access_token));
    const link = /(http\S+verify-email\?token=\S+)/.exec(mailer.lastTo(email)!.text)![1]!;
    t.true(link.startsWith(`${settings.appUrl}/api/auth/verify-email?token=`), link);
    const page = await api()
      .get(new URL(link).pathname + new URL(link).search)
      .set('Accept', 'text/html');
    t.is(page.status, 200);
    t.regex(String(page.headers['content-type']), /^text\/html/);
    t.true(page.text.includes(`${email} is verified`));
    t.regex((await api().get('/api/auth/me').set(bearer(access_token))).body.data.email_verified_at, /Z$/);
    const again = await api()
      .get(new URL(link).pathname + new URL(link).search)
      .set('Accept', 'text/html');
    t.is(again.status, 400);
    t.regex(again.text, /Open the link from the e-mail again/);

    await api().post('/api/auth/forgot-password').send({ email });
    const reset = /(http\S+reset-password\?token=\S+)/.exec(mailer.lastTo(email)!.text)![1]!;
    t.true(reset.startsWith(`${settings.appUrl}/api/auth/reset-password?token=`), reset);
    const form = await api().get(new URL(reset).pathname + new URL(reset).search);
    t.is(form.status, 200);
    t.regex(form.text, /<form method="post" action="\/api\/auth\/reset-password">/);
    const token = /name="token" value="([^"]+)"/.exec(form.text)![1]!;
    const short = await api()
      .post('/api/auth/reset-password')
      .type('form')
      .set('Accept', 'text/html')
      .send({ token, new_password: 'x' });
    t.is(short.status, 422);
    t.regex(short.text, /<li>new_password must be at least/);
    const done = await api()
      .post('/api/auth/reset-password')
      .type('form')
      .set('Accept', 'text/html')
      .send({ token, new_password: 'a page-made password' });
    t.is(done.status, 200, done.text);
    t.regex(done.text, /Your password has been changed/);
    t.truthy(await login(email, 'a page-made password'));

    // With FRONTEND_URL, the links go to the app that shows those pages.
    const frontend = app({ db, settings: testSettings({ FRONTEND_URL: 'https://app.example.com/' }) });
    await client(frontend).post('/api/auth/forgot-password').send({ email });
    t.regex(mailer.lastTo(email)!.text, /^https:\/\/app\.example\.com\/reset-password\?token=[\w-]+$/m);
  });

  it('repeated failures lock the account for that client, across app instances, with Retry-After', async (t) => {
    const locking = testSettings({ LOGIN_MAX_ATTEMPTS: '3', LOGIN_LOCKOUT_MINUTES: '10', TRUST_PROXY: 'true' });
    const instanceA = client(app({ db, settings: locking }));
    const instanceB = client(app({ db, settings: locking }));
    const { email } = await register();
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    for (let i = 0; i < 3; i++) {
      assertError(
        t,
        await instanceA.post('/api/auth/login/json').set(from('198.51.100.7')).send({ email, password: 'wrong guess' }),
        401,
        'UNAUTHORIZED',
      );
    }
    // Locked, even with the right password, and on the other instance too.
    const locked = await instanceB
      .post('/api/auth/login/json')
      .set(from('198.51.100.7'))
      .send({ email, password: PASSWORD });
    assertError(t, locked, 429, 'RATE_LIMIT_EXCEEDED');
    const retryAfter = Number(locked.headers['retry-after']);
    t.true(retryAfter > 0 && retryAfter <= 600);
    t.is(locked.body.retry_after, retryAfter);
    // Another client is not locked out of the account.
    t.is(
      (await instanceB.post('/api/auth/login/json').set(from('198.51.100.8')).send({ email, password: PASSWORD }))
        .status,
      200,
    );
  });

  it('an inactive user cannot log in, and their tokens stop working (403)', async (t) => {
    const { email, user } = await register();
    const session = await login(email);
    await db('users').where('id', user.id).update({ is_active: false });
    const me = await api().get('/api/auth/me').set(bearer(session.access_token));
    assertError(t, me, 403, 'FORBIDDEN');
    assertError(t, await api().post('/api/auth/login/json').send({ email, password: PASSWORD }), 403, 'FORBIDDEN');
    assertError(
      t,
      await api().post('/api/auth/refresh').send({ refresh_token: session.refresh_token }),
      403,
      'FORBIDDEN',
    );
  });

  it('tokens and passwords never reach the logs', async (t) => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    const logged = client(app({ db, logger, settings: testSettings({ LOG_LEVEL: 'trace' }) }));
    const email = newEmail();
    await logged.post('/api/auth/register').send({ name: 'Logged', email, password: PASSWORD });
    const tokens = (await logged.post('/api/auth/login/json').send({ email, password: PASSWORD })).body.data;
    const refreshed = (await logged.post('/api/auth/refresh').send({ refresh_token: tokens.refresh_token })).body.data;
    await logged.get('/api/auth/me').set(bearer(refreshed.access_token));
    await logged.post('/api/auth/refresh').send({ refresh_token: tokens.refresh_token }); // reuse: logged as a warning
    await logged.post('/api/auth/login/json').send({ email, password: 'a wrong password' });
    const log = lines.join('\n');
    t.true(lines.length > 0);
    for (const secretValue of [
      PASSWORD,
      tokens.access_token,
      tokens.refresh_token,
      refreshed.access_token,
      refreshed.refresh_token,
      'a wrong password',
    ]) {
      t.false(log.includes(secretValue));
    }
  });
});
