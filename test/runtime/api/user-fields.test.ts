// A project's own User model on every database: the columns it added to users (src/models/user.ts,
// userModel({ fields })) are taken by registration with their rules (every problem of the account
// and the fields in one 422, foreign keys checked), shown by register, login and me (hidden ones
// not), described by the OpenAPI document, filled by the user factory (parents made for foreign
// keys), and the console's admin task says which of them it cannot fill.
import test from 'ava';
import type { Knex } from 'knex';
import { appRouters, appServices } from '../../../runtime/app.js';
import { AuthService } from '../../../runtime/auth/auth-service.js';
import { runConsole } from '../../../runtime/console-tasks.js';
import { defineFactory } from '../../../runtime/factories/factory.js';
import { defineUserFactory } from '../../../runtime/factories/user-factory.js';
import { parseFieldSpecs } from '../../../runtime/fields/spec.js';
import { facadeMailer } from '../../../runtime/libs/mail/index.js';
import { Model, type BaseRecord } from '../../../runtime/models/base-model.js';
import { userModel, type UserRecord } from '../../../runtime/models/user.js';
import { openApiDocument } from '../../../runtime/openapi/document.js';
import { authRoutes } from '../../../runtime/routes/auth.js';
import { client, silentLogger } from '../../../runtime/testing/kit.js';
import { onEveryDatabase } from '../../helpers/framework-suite.js';

interface Member extends UserRecord {
  phone: string;
  nickname: string | null;
  team_id: number | null;
  pin: string | null;
}

const memberFields = parseFieldSpecs([
  'phone:string:required,max:20',
  'nickname:string:nullable,max:30',
  'team_id:integer:nullable,foreign:teams.id',
  'pin:string:nullable,max:8',
]);
const Members = userModel<Member>({ fields: memberFields, hidden: ['pin'] });
const Team = new Model<BaseRecord & { name: string }>({
  name: 'Team',
  table: 'teams',
  fields: parseFieldSpecs(['name:string:required']),
});
const teamFactory = defineFactory({ model: Team, fields: Team.fields });
const memberFactory = defineUserFactory(Members, () => ({ teams: teamFactory }));

test('userModel refuses a field named like a column authentication owns', (t) => {
  for (const name of ['email', 'role', 'password_hash', 'is_active'])
    t.throws(() => userModel({ fields: parseFieldSpecs([`${name}:string`]) }), {
      message: `userModel(): users already have a "${name}" column (authentication's own): give the field another name`,
    });
});

onEveryDatabase(
  'api_user_fields',
  ({ it, ready, buildApp, testSettings, accessToken }) => {
    let db: Knex;
    let teamId: number;
    test.before(async () => {
      db = await ready();
      await db.schema.createTable('teams', (table) => {
        table.increments('id');
        table.string('name').notNullable();
        table.timestamps(false, true);
        table.timestamp('deleted_at').nullable();
      });
      await db.schema.alterTable('users', (table) => {
        table.string('phone', 20).notNullable().defaultTo('');
        table.string('nickname', 30).nullable();
        table.integer('team_id').unsigned().nullable().references('id').inTable('teams');
        table.string('pin', 8).nullable();
      });
      teamId = (await teamFactory(db).create({ name: 'Blue' })).id;
    });

    const api = () => client(buildApp({ db }));
    const account = (email: string) => ({ name: 'Ada', email, password: 'correct horse battery' });

    it("registration takes the model's fields; register, login and me show them, hidden ones not", async (t) => {
      const email = 'fields-ada@example.com';
      const registered = await api()
        .post('/api/auth/register')
        .send({ ...account(email), phone: '+44 20 7946 0000', team_id: teamId, pin: '1234' });
      t.is(registered.status, 201, JSON.stringify(registered.body));
      t.like(registered.body.data, { email, phone: '+44 20 7946 0000', nickname: null, team_id: teamId });
      t.false('pin' in registered.body.data, 'a hidden field is never sent');
      t.is((await db('users').where({ email }).first('pin')).pin, '1234', 'but it is written');

      const login = await api().post('/api/auth/login/json').send({ email, password: 'correct horse battery' });
      t.is(login.status, 200);
      t.like(login.body.data.user, { phone: '+44 20 7946 0000', team_id: teamId });
      const me = await api().get('/api/auth/me').set('Authorization', `Bearer ${login.body.data.access_token}`);
      t.like(me.body.data, { phone: '+44 20 7946 0000', nickname: null });
      t.false('pin' in me.body.data);
    });

    it("every problem of the account and the model's fields is in one 422; a missing team names team_id", async (t) => {
      const response = await api()
        .post('/api/auth/register')
        .send({ name: 'Eve', email: 'not-an-address', password: 'correct horse battery', nickname: 7, shoe: 44 });
      t.is(response.status, 422, JSON.stringify(response.body));
      t.deepEqual(Object.keys(response.body.errors).sort(), ['email', 'nickname', 'phone', 'shoe']);
      t.regex(response.body.errors.phone[0], /phone is required/);

      const missingTeam = await api()
        .post('/api/auth/register')
        .send({ ...account('fields-eve@example.com'), phone: '1', team_id: 99_999 });
      t.is(missingTeam.status, 422, JSON.stringify(missingTeam.body));
      t.deepEqual(Object.keys(missingTeam.body.errors), ['team_id']);
      t.falsy(await db('users').where({ email: 'fields-eve@example.com' }).first(), 'nothing is written');

      await t.throwsAsync(
        new AuthService({
          db,
          settings: testSettings(),
          mailer: facadeMailer,
          logger: silentLogger,
          users: Members,
        }).register({
          ...account('fields-zed@example.com'),
          shoe: 44,
        }),
        { message: 'register(): shoe is not a field of User' },
      );
    });

    it("the OpenAPI document describes the model's fields: the body takes them, the User shows the visible ones", (t) => {
      const services = appServices({ settings: testSettings(), db, logger: silentLogger, users: Members });
      const document = openApiDocument(appRouters(services, [authRoutes]), { title: 'Fields', version: '1.0.0' }) as {
        paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: any }> } }>>;
        components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> };
      };
      const body = document.paths['/api/auth/register']!.post!.requestBody.content['application/json']!.schema;
      t.deepEqual(Object.keys(body.properties), ['name', 'email', 'password', 'phone', 'nickname', 'team_id', 'pin']);
      t.deepEqual(body.required, ['name', 'email', 'password', 'phone']);
      const user = document.components.schemas.User!;
      t.like(user.properties, { phone: { type: 'string', maxLength: 20 }, team_id: { type: ['integer', 'null'] } });
      t.false('pin' in user.properties);
      t.true(user.required.includes('phone'));
    });

    it("the user factory fills the model's fields and makes the parents of its foreign keys", async (t) => {
      const user = await memberFactory(db).create();
      t.is(typeof user.phone, 'string');
      t.true(user.phone.length > 0 && user.phone.length <= 20);
      t.truthy(await db('teams').where({ id: user.team_id }).first(), 'its team exists');
      // The kit signs in a user of its own factory, with the required phone filled.
      const token = await accessToken(db);
      const me = await api().get('/api/auth/me').set('Authorization', `Bearer ${token}`);
      t.is(me.status, 200);
      t.is(typeof me.body.data.phone, 'string');
    });

    it('the admin task promotes a user, but --create says which required fields it cannot fill', async (t) => {
      const lines: string[] = [];
      const run = (...argv: string[]) =>
        runConsole(['admin', ...argv], {
          env: { FASTPY_ADMIN_PASSWORD: 'a-long-admin-password' },
          settings: testSettings(),
          db,
          logger: silentLogger,
          routes: [],
          users: Members,
          out: (line) => lines.push(line),
          err: (line) => lines.push(line),
        });
      t.is(await run('--email', 'fields-boss@example.com', '--create'), 1);
      t.deepEqual(lines, [
        'fastpy: --create cannot fill the users fields phone (required, no default): register the account (POST /api/auth/register), then promote it: fastpy user:admin fields-boss@example.com',
      ]);
      t.falsy(await db('users').where({ email: 'fields-boss@example.com' }).first());
      const member = await memberFactory(db).create();
      t.is(await run('--email', member.email), 0);
      t.is((await db('users').where({ id: member.id }).first('role')).role, 'admin');
    });
  },
  { users: Members, userFactory: memberFactory },
);
