// Notify and Notification: mail, database (a notifications row, on SQLite, PostgreSQL and MySQL),
// slack (a local webhook server), sms (a pluggable provider), on-demand routes, queued sending, fake.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import knex from 'knex';
import { loadSettings } from '../../../runtime/config/settings.js';
import { knexConfigFromUrl } from '../../../runtime/database/dialects.js';
import { up as createNotifications } from '../../../runtime/database/migrations/20260101000300_create_notifications_table.js';
import { up as createQueueTables } from '../../../runtime/database/migrations/20260101000200_create_queue_tables.js';
import { closeLibs, configureLibs } from '../../../runtime/libs/config.js';
import { Mail } from '../../../runtime/libs/mail/index.js';
import {
  Notification,
  Notify,
  type Channel,
  type MailContent,
  type Notifiable,
} from '../../../runtime/libs/notify/index.js';
import { Queue } from '../../../runtime/libs/queue/index.js';
import { DATABASE_URLS, testDrivers } from '../../helpers/databases.js';

class OrderShipped extends Notification {
  constructor(
    public order: { id: number },
    public channels: Channel[] = ['mail', 'database', 'slack', 'sms'],
  ) {
    super();
  }
  via() {
    return this.channels;
  }
  toMail(): MailContent {
    return { subject: 'Your order has shipped!', html: `<p>Order #${this.order.id} is on its way</p>` };
  }
  toDatabase() {
    return { type: 'order_shipped', data: { order_id: this.order.id } };
  }
  toSlack() {
    return { text: `Order #${this.order.id} has shipped!` };
  }
  toSms() {
    return `Order #${this.order.id} shipped!`;
  }
}

const user: Notifiable = { id: 7, email: 'ada@example.com', phone: '+15550100' };

async function slackServer(t: { teardown(fn: () => unknown): void }) {
  const posts: Array<{ url: string; body: Record<string, unknown> }> = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    posts.push({ url: request.url!, body: JSON.parse(body) as Record<string, unknown> });
    response.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts };
}

test.afterEach.always(async () => {
  Mail.restore();
  Notify.restore();
  await closeLibs();
});

for (const driver of testDrivers()) {
  test.serial(`every channel (database on ${driver}): mail, a notifications row, a Slack post, an SMS`, async (t) => {
    const slack = await slackServer(t);
    const db = knex(knexConfigFromUrl(DATABASE_URLS[driver]));
    t.teardown(() => db.destroy());
    await db.schema.dropTableIfExists('notifications');
    await createNotifications(db);
    // The Slack webhook is a local server: the Http guard is told private addresses are allowed.
    configureLibs(
      loadSettings({
        NODE_ENV: 'test',
        SLACK_WEBHOOK_URL: `${slack.url}/hooks/T000/B000`,
        HTTP_ALLOW_PRIVATE_NETWORK: 'true',
      }),
      { db },
    );
    Mail.fake();
    const texts: string[] = [];
    Notify.useSms({ send: async (to, text) => void texts.push(`${to}: ${text}`) });

    await Notify.send([user, { id: 8, email: 'bob@example.com', phone: '+15550101' }], new OrderShipped({ id: 42 }));

    Mail.assertSent(
      (message) =>
        message.subject === 'Your order has shipped!' && (message.to as string[]).includes('ada@example.com'),
    );
    Mail.assertSent('bob@example.com');
    const unread = await Notify.unread(user);
    t.is(unread.length, 1);
    t.like(unread[0], { type: 'order_shipped', data: { order_id: 42 } });
    t.deepEqual(
      slack.posts.map((post) => [post.url, post.body.text]),
      [
        ['/hooks/T000/B000', 'Order #42 has shipped!'],
        ['/hooks/T000/B000', 'Order #42 has shipped!'],
      ],
    );
    t.deepEqual(texts, ['+15550100: Order #42 shipped!', '+15550101: Order #42 shipped!']);
    await Notify.markAsRead(unread[0]!.id);
    t.deepEqual(await Notify.unread(user), []);
  });
}

test.serial(
  'on demand: route() gives the addresses; a Slack channel name posts through the default webhook',
  async (t) => {
    const slack = await slackServer(t);
    configureLibs(
      loadSettings({ NODE_ENV: 'test', SLACK_WEBHOOK_URL: `${slack.url}/default`, HTTP_ALLOW_PRIVATE_NETWORK: 'true' }),
    );
    Mail.fake();
    await Notify.route('mail', 'guest@example.com')
      .route('slack', '#orders')
      .notify(new OrderShipped({ id: 5 }, ['mail', 'slack']));
    Mail.assertSent('guest@example.com');
    t.deepEqual(slack.posts, [{ url: '/default', body: { text: 'Order #5 has shipped!', channel: '#orders' } }]);
    await Notify.route('slack', `${slack.url}/other`).notify(new OrderShipped({ id: 6 }, ['slack']));
    t.is(slack.posts[1]!.url, '/other');
  },
);

test.serial('what a channel lacks is named', async (t) => {
  configureLibs(loadSettings({ NODE_ENV: 'test' }));
  class Bare extends Notification {
    via(): Channel[] {
      return ['mail'];
    }
  }
  await t.throwsAsync(Notify.send(user, new Bare()), { message: 'Bare is sent via mail but has no toMail()' });
  await t.throwsAsync(Notify.send({ id: 1 }, new OrderShipped({ id: 1 }, ['mail'])), {
    message: 'OrderShipped: the recipient has no e-mail address for the mail channel',
  });
  await t.throwsAsync(Notify.send(user, new OrderShipped({ id: 1 }, ['slack'])), {
    message: /no Slack webhook: set SLACK_WEBHOOK_URL/,
  });
  await t.throwsAsync(Notify.send(user, new OrderShipped({ id: 1 }, ['pigeon' as Channel])), {
    message: /unknown channel "pigeon"/,
  });
  t.throws(() => Notify.route('fax' as Channel, 'x'), { message: /unknown channel "fax"/ });
});

test.serial(
  'every channel is checked before any is sent: an on-demand recipient with a database channel sends nothing, the mail included',
  async (t) => {
    const slack = await slackServer(t);
    configureLibs(
      loadSettings({ NODE_ENV: 'test', SLACK_WEBHOOK_URL: `${slack.url}/default`, HTTP_ALLOW_PRIVATE_NETWORK: 'true' }),
    );
    Mail.fake();
    // The seed's call: route('mail', …).route('slack', …).notify(n), with n also via database.
    await t.throwsAsync(
      Notify.route('mail', 'guest@example.com')
        .route('slack', '#orders')
        .notify(new OrderShipped({ id: 9 }, ['mail', 'database', 'slack'])),
      {
        message:
          'OrderShipped: the database channel needs a recipient with an id (an on-demand recipient from Notify.route() has none)',
      },
    );
    t.deepEqual(Mail.sent(), [], 'no mail went out');
    t.deepEqual(slack.posts, [], 'nor a Slack post');
    // Several recipients: the second one's missing address stops the first one's messages too.
    await t.throwsAsync(Notify.send([user, { id: 2 }], new OrderShipped({ id: 10 }, ['mail'])), {
      message: /the recipient has no e-mail address/,
    });
    t.deepEqual(Mail.sent(), []);
    // A mail template that does not exist is found before anything is sent.
    class Templated extends OrderShipped {
      override toMail(): MailContent {
        return { template: 'no-such-template' };
      }
    }
    await t.throwsAsync(
      Notify.route('mail', 'guest@example.com')
        .route('slack', '#orders')
        .notify(new Templated({ id: 11 }, ['slack', 'mail'])),
      { message: /no template "no-such-template"/ },
    );
    t.deepEqual(slack.posts, []);
  },
);

test.serial('queued: the notification goes through the queue and the worker sends it', async (t) => {
  const db = knex(knexConfigFromUrl('sqlite::memory:'));
  t.teardown(() => db.destroy());
  await createQueueTables(db);
  await createNotifications(db);
  configureLibs(loadSettings({ NODE_ENV: 'test', QUEUE_DRIVER: 'database' }), { db });
  class Queued extends OrderShipped {
    override queue = true;
  }
  Mail.fake();
  await Notify.send(user, new Queued({ id: 99 }, ['mail', 'database']));
  t.is(await Queue.size(), 1, 'queued, not sent');
  t.is(Mail.sent().length, 0);
  const worker = Queue.work(['default'], { sleepMs: 10 });
  for (let waited = 0; Mail.sent().length === 0 && waited < 5000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
  await worker.stop();
  Mail.assertSent('ada@example.com');
  t.like((await Notify.unread(user))[0], { type: 'order_shipped', data: { order_id: 99 } });
});

test.serial('the fake records who got what', async (t) => {
  configureLibs(loadSettings({ NODE_ENV: 'test' }));
  Notify.fake();
  await Notify.send(user, new OrderShipped({ id: 3 }));
  Notify.assertSentTo(user, OrderShipped);
  Notify.assertSentTo(
    user,
    OrderShipped,
    (notification, channels) => (notification as OrderShipped).order.id === 3 && channels.includes('sms'),
  );
  t.throws(() => Notify.assertSentTo({ id: 99, email: 'x@example.com' }, OrderShipped), {
    message: /expected a OrderShipped sent to x@example\.com; sent: OrderShipped to ada@example\.com/,
  });
  t.throws(() => Notify.assertNothingSent(), { message: 'expected no notifications; 1 sent' });
});

test('two classes under one name are refused, for notifications as for jobs (a worker would run the wrong one)', async (t) => {
  const { registerNotifications } = await import('../../../runtime/libs/notify/index.js');
  const { Job, registerJobs, QueueError } = await import('../../../runtime/libs/queue/index.js');
  const first = class Renamed extends Notification {
    via(): Channel[] {
      return ['database'];
    }
  };
  const second = class Renamed extends Notification {
    via(): Channel[] {
      return ['database'];
    }
  };
  registerNotifications(first);
  registerNotifications(first); // the same class again is fine
  t.throws(() => registerNotifications(second), {
    message: 'two notification classes are named Renamed; give one a static notificationName',
  });
  const jobA = class Twin extends Job {
    handle() {}
  };
  const jobB = class Twin extends Job {
    handle() {}
  };
  registerJobs(jobA);
  t.throws(() => registerJobs(jobB), {
    instanceOf: QueueError,
    message: 'two job classes are named Twin; give one a static jobName',
  });
});
