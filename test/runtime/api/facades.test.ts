// The facades a project gives the runtime (src/bootstrap.ts: `facades`, through appServices, the test
// kit and the console) are the ones its own code uses: auth's e-mails go through the project's Mail,
// passwords through its Hash, uploads to its Storage's disk. A project that ejected one of them
// (fastpy eject libs/mail) gives its copy, so its Mail.fake() sees auth's e-mails.
import type { Knex } from 'knex';
import type { RuntimeFacades } from '../../../runtime/app.js';
import { appServices } from '../../../runtime/app.js';
import { runConsole } from '../../../runtime/console-tasks.js';
import { Hash } from '../../../runtime/libs/hash/index.js';
import type { MailMessage } from '../../../runtime/libs/mail/index.js';
import { MemoryDisk } from '../../../runtime/libs/storage/index.js';
import { client, silentLogger } from '../../../runtime/testing/kit.js';
import { onEveryDatabase } from '../../helpers/framework-suite.js';

/** Facades of the project's own, as an ejected copy is: they record what the runtime asks of them. */
function projectFacades() {
  const sent: MailMessage[] = [];
  const hashed: string[] = [];
  const disk = new MemoryDisk();
  const facades: RuntimeFacades = {
    Mail: { sendMessage: async (message) => void sent.push(message) },
    Hash: {
      make: (password) => (hashed.push(`make ${password}`), Hash.make(password)),
      check: (password, hash) => (hashed.push(`check ${password}`), Hash.check(password, hash)),
      needsRehash: (hash) => Hash.needsRehash(hash),
      driver: (name) => Hash.driver(name),
    },
    Storage: { disk: () => disk },
  };
  return { facades, sent, hashed, disk };
}

onEveryDatabase('api_facades', ({ it, ready, buildApp, testSettings }) => {
  let db: Knex;

  it("auth sends through the project's Mail and hashes with its Hash; uploads go to its disk", async (t) => {
    db = await ready();
    const { facades, sent, hashed, disk } = projectFacades();
    const api = () => client(buildApp({ db, facades }));
    const account = { name: 'Ada', email: 'facades-ada@example.com', password: 'correct horse battery' };
    const registered = await api().post('/api/auth/register').send(account);
    t.is(registered.status, 201, JSON.stringify(registered.body));
    t.deepEqual(hashed, ['make correct horse battery']);
    t.deepEqual(
      sent.map((message) => [message.to, message.subject]),
      [['facades-ada@example.com', 'Verify your e-mail address']],
    );
    const login = await api().post('/api/auth/login/json').send({ email: account.email, password: account.password });
    t.is(login.status, 200, JSON.stringify(login.body));
    t.deepEqual(hashed.slice(1), ['check correct horse battery']);
    await api().post('/api/auth/forgot-password').send({ email: account.email });
    t.is(sent.at(-1)?.subject, 'Reset your password');

    t.is(appServices({ settings: testSettings(), db, logger: silentLogger, facades }).storage, disk);
    const mailer = { send: async () => undefined };
    t.is(appServices({ settings: testSettings(), db, logger: silentLogger, facades, mailer }).mailer, mailer);
  });

  it("the console's admin --create hashes with the project's Hash", async (t) => {
    db = await ready();
    const { facades, hashed } = projectFacades();
    const code = await runConsole(['admin', '--email', 'facades-root@example.com', '--create'], {
      settings: testSettings(),
      db,
      logger: silentLogger,
      routes: [],
      facades,
      env: { FASTPY_ADMIN_PASSWORD: 'a long admin password' },
      out: () => undefined,
    });
    t.is(code, 0);
    t.deepEqual(hashed, ['make a long admin password']);
  });
});
