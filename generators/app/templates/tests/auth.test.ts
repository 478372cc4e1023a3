// A smoke test of authentication through the project's own routes on its database: register, log
// in, read the current user, refresh, and a protected route refusing a missing or forged token.
// (The whole auth contract, attacks included, is tested in fastpy-runtime's own suite.)
import { randomUUID } from 'node:crypto';
import test from 'ava';
import type { Knex } from 'knex';
import { ArrayMailer } from 'fastpy-runtime/mail';
import { Mail } from '#libs';
import { userFactory } from '../src/factories/user-factory.js';
import { User } from '../src/models/user.js';
import { assertError, buildApp, client, migratedDatabase } from './helpers.js';

let db: Knex;
const mailer = new ArrayMailer();
const api = () => client(buildApp({ db, mailer }));

test.before(async () => {
  db = await migratedDatabase();
});

test.after.always(async () => {
  await db.destroy();
});

test('register, log in, read the current user and refresh the tokens', async (t) => {
  const email = `user-${randomUUID()}@example.com`;
  const password = 'correct horse battery';
  // With the fields you added to users (src/models/user.ts), filled as their rules allow.
  const made = await userFactory(db).build();
  const yours = Object.fromEntries(User.fields.map((field) => [field.name, made[field.name]]));
  const registered = await api()
    .post('/api/auth/register')
    .send({ ...yours, name: 'Ada Lovelace', email, password });
  t.is(registered.status, 201, JSON.stringify(registered.body));
  t.false('password_hash' in registered.body.data);

  const login = await api().post('/api/auth/login/json').send({ email, password });
  t.is(login.status, 200, JSON.stringify(login.body));
  const { access_token: access, refresh_token: refresh } = login.body.data;

  const me = await api().get('/api/auth/me').set('Authorization', `Bearer ${access}`);
  t.is(me.status, 200);
  t.is(me.body.data.email, email);

  const refreshed = await api().post('/api/auth/refresh').send({ refresh_token: refresh });
  t.is(refreshed.status, 200, JSON.stringify(refreshed.body));
  t.not(refreshed.body.data.refresh_token, refresh);
});

test('a protected route refuses a missing or forged token with a 401', async (t) => {
  assertError(t, await api().get('/api/auth/me'), 401, 'UNAUTHORIZED');
  const forged = await api().get('/api/auth/me').set('Authorization', 'Bearer not.a.token');
  assertError(t, forged, 401, 'UNAUTHORIZED');
});

test.serial(
  "auth's e-mails go through your Mail facade (src/bootstrap.ts: facades): Mail.fake() sees them",
  async (t) => {
    const user = await userFactory(db).create();
    Mail.fake();
    try {
      // buildApp without a mailer: auth sends through the facades, as the running app does.
      const response = await client(buildApp({ db })).post('/api/auth/forgot-password').send({ email: user.email });
      t.is(response.status, 200, JSON.stringify(response.body));
      Mail.assertSent((message) => message.to === user.email && message.text.includes('reset-password?token='));
    } finally {
      Mail.restore();
    }
  },
);
