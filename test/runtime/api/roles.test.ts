// Roles on every database: users are `user` by default (the column arrives by migration, existing
// rows included), `requireRole('admin')` lets only admins through a hand-written route (401 without
// a user, 403 with another role), and the console's `admin` task (fastpy user:admin) promotes a user
// or creates an admin, refusing what it cannot do with a line that says why.
import Router from '@koa/router';
import test from 'ava';
import type { Knex } from 'knex';
import type { AppServices } from '../../../runtime/app.js';
import { requireAuth, requireRole } from '../../../runtime/auth/require-auth.js';
import { runConsole } from '../../../runtime/console-tasks.js';
import { openApiDocument } from '../../../runtime/openapi/document.js';
import { appRouters, appServices } from '../../../runtime/app.js';
import { describeRoutes, formatRouteTable } from '../../../runtime/routes/route-table.js';
import { sendSuccess } from '../../../runtime/utils/responses.js';
import { client, silentLogger } from '../../../runtime/testing/kit.js';
import { onEveryDatabase } from '../../helpers/framework-suite.js';

const adminRoutes = ({ auth }: AppServices) => {
  const router = new Router({ prefix: '/api/admin' });
  router.get('admin.stats', '/stats', requireAuth(auth), requireRole('admin'), (ctx) => sendSuccess(ctx, { ok: true }));
  return router;
};

onEveryDatabase('api_roles', ({ it, ready, buildApp, testSettings }) => {
  let db: Knex;
  test.before(async () => {
    db = await ready();
  });

  const register = async (app: ReturnType<typeof buildApp>, email: string) => {
    const response = await client(app)
      .post('/api/auth/register')
      .send({ name: 'Ada', email, password: 'secret-pass-1' });
    return response;
  };
  const login = async (app: ReturnType<typeof buildApp>, email: string, password = 'secret-pass-1') =>
    (await client(app).post('/api/auth/login/json').send({ email, password })).body.data?.access_token as string;
  /** The console's admin task: its exit code and every line it wrote (out and err). */
  const admin = async (...argv: string[]) => adminWith({}, ...argv);
  const adminWith = async (env: Record<string, string>, ...argv: string[]) => {
    const lines: string[] = [];
    const code = await runConsole(['admin', ...argv], {
      env,
      settings: testSettings(),
      db,
      logger: silentLogger,
      routes: [],
      out: (line) => lines.push(line),
      err: (line) => lines.push(line),
    });
    return { code, lines };
  };

  it('a user is a user; requireRole lets only an admin through; the admin task promotes', async (t) => {
    const app = buildApp({ db, routes: [adminRoutes] });
    const registered = await register(app, 'role-ada@example.com');
    t.is(registered.status, 201, JSON.stringify(registered.body));
    t.is(registered.body.data.role, 'user');
    t.is(
      (
        await client(app)
          .post('/api/auth/register')
          .send({ name: 'Eve', email: 'role-eve@example.com', password: 'secret-pass-1', role: 'admin' })
      ).status,
      422,
      'a role cannot be chosen',
    );

    const anonymous = await client(app).get('/api/admin/stats');
    t.is(anonymous.status, 401);
    const token = await login(app, 'role-ada@example.com');
    const asUser = await client(app).get('/api/admin/stats').set('Authorization', `Bearer ${token}`);
    t.is(asUser.status, 403);
    t.is(asUser.body.message, 'This needs the admin role');
    t.is((await client(app).get('/api/auth/me').set('Authorization', `Bearer ${token}`)).body.data.role, 'user');

    const promoted = await admin('--email', 'ROLE-Ada@example.com');
    t.deepEqual(promoted, { code: 0, lines: ['✓ role-ada@example.com is an admin now (was user)'] });
    t.deepEqual(await admin('--email', 'role-ada@example.com'), {
      code: 0,
      lines: ['✓ role-ada@example.com is an admin already'],
    });
    // The role is read with the user on each request: the same token now passes.
    const asAdmin = await client(app).get('/api/admin/stats').set('Authorization', `Bearer ${token}`);
    t.is(asAdmin.status, 200, JSON.stringify(asAdmin.body));
    t.deepEqual(asAdmin.body.data, { ok: true });

    // route:list and the OpenAPI document say what the route needs.
    const routers = appRouters(appServices({ settings: testSettings(), db, logger: silentLogger }), [adminRoutes]);
    const row = describeRoutes(routers).find((route) => route.name === 'admin.stats')!;
    t.like(row, { protected: true, roles: ['admin'] });
    t.regex(formatRouteTable([row]), /bearer admin/);
    const document = openApiDocument(routers, { title: 'Roles', version: '1.0.0' }) as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    t.regex(document.paths['/api/admin/stats']!.get!.responses['403']!.description, /lacks the admin role/);
  });

  it('the admin task creates an admin who can log in, and refuses what it cannot do', async (t) => {
    const app = buildApp({ db, routes: [adminRoutes] });
    const missing = await admin('--email', 'role-nobody@example.com');
    t.is(missing.code, 1);
    t.is(
      missing.lines[0],
      'fastpy: no user has the e-mail role-nobody@example.com: add --create (and FASTPY_ADMIN_PASSWORD) to make one',
    );
    t.regex(
      (await admin('--email', 'role-new@example.com', '--create')).lines[0]!,
      /--create needs a password of at least 8 characters: FASTPY_ADMIN_PASSWORD in the environment, or --password <password>/,
    );
    t.regex(
      (await admin('--email', 'role-new@example.com', '--create', '--password', 'short')).lines[0]!,
      /at least 8 characters/,
    );
    t.regex((await admin()).lines[0]!, /admin needs --email <address>/);
    // A disabled account is promoted, and the line says it still cannot log in.
    await register(app, 'role-off@example.com');
    await db('users').where('email', 'role-off@example.com').update({ is_active: false });
    t.deepEqual((await admin('--email', 'role-off@example.com')).lines, [
      '✓ role-off@example.com is an admin now (was user); the account is disabled (is_active = false): it cannot log in until it is enabled',
    ]);
    t.regex(
      (await adminWith({ FASTPY_ADMIN_PASSWORD: 'short' }, '--email', 'role-new@example.com', '--create')).lines[0]!,
      /at least 8 characters/,
    );
    // The password from the environment, kept out of the process list and the shell's history.
    const fromEnv = await adminWith(
      { FASTPY_ADMIN_PASSWORD: 'env-pass-12' },
      '--email',
      'role-env@example.com',
      '--create',
    );
    t.is(fromEnv.code, 0, fromEnv.lines.join('\n'));
    t.regex(fromEnv.lines[0]!, /^✓ created the admin role-env@example\.com/);
    t.is((await db('users').where('email', 'role-env@example.com').first('name'))?.name, 'role-env');
    t.truthy(await login(app, 'role-env@example.com', 'env-pass-12'));
    const created = await admin(
      '--email',
      'role-new@example.com',
      '--create',
      '--password',
      'admin-pass-1',
      '--name',
      'Root',
    );
    t.is(created.code, 0);
    t.regex(created.lines[0]!, /^✓ created the admin role-new@example\.com \(id \d+\)$/);
    const row = await db('users')
      .where('email', 'role-new@example.com')
      .first('name', 'role', 'is_active', 'email_verified_at');
    t.like(row, { name: 'Root', role: 'admin' });
    t.truthy(row.is_active);
    t.truthy(row.email_verified_at);
    const token = await login(app, 'role-new@example.com', 'admin-pass-1');
    t.is((await client(app).get('/api/admin/stats').set('Authorization', `Bearer ${token}`)).status, 200);
  });
});
