// Mail: the fluent builder and templates; each transport against a real local counterpart — an
// SMTP server (smtp-server) and HTTP servers speaking SendGrid's, Mailgun's and SES v2's APIs.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { loadSettings } from '../../../runtime/config/settings.js';
import { configureLibs } from '../../../runtime/libs/config.js';
import { Mail, MailAssertionError, ArrayMailer, createMailer } from '../../../runtime/libs/mail/index.js';
import { createLogger } from '../../../runtime/utils/logger.js';

const views = mkdtempSync(join(tmpdir(), 'fastpy-views-'));
writeFileSync(join(views, 'welcome.ejs'), '<h1>Welcome, <%= name %>!</h1><p>Enjoy &amp; have fun.</p>');
mkdirSync(join(views, 'orders'));
writeFileSync(join(views, 'orders', 'shipped.ejs'), '<p>Order <%= id %> shipped</p>');
writeFileSync(join(views, 'orders', 'shipped.txt.ejs'), 'Order <%= id %> shipped (text)');
writeFileSync(
  join(views, 'invoice.ejs'),
  '<html><head><title>Your invoice &amp; receipt, <%= name %></title></head><body><p>Invoice for <%= name %></p></body></html>',
);
writeFileSync(join(views, 'invoice-due.ejs'), '<p>Please pay</p>');
const attachment = join(views, 'invoice.pdf');
writeFileSync(attachment, '%PDF-1.4 fake');

const settings = (env: Record<string, string> = {}) =>
  loadSettings({ NODE_ENV: 'test', MAIL_VIEWS: views, MAIL_FROM: 'app@example.com', ...env });
const silent = createLogger({ level: 'silent' });

async function httpServer(t: { teardown(fn: () => unknown): void }, status = 202, reply = '') {
  const seen: Array<{ url: string; headers: IncomingMessage['headers']; body: Buffer }> = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    seen.push({ url: request.url!, headers: request.headers, body: Buffer.concat(chunks) });
    response.writeHead(status, { 'content-type': 'application/json' }).end(reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

test.serial(
  'templates render the HTML (and the text part, derived or from .txt.ejs); builders check their input',
  async (t) => {
    configureLibs(settings());
    const welcome = await Mail.to('user@example.com').subject('Welcome!').build('welcome', { name: 'John <b>' });
    t.is(welcome.html, '<h1>Welcome, John &lt;b&gt;!</h1><p>Enjoy &amp; have fun.</p>');
    t.is(welcome.text, 'Welcome, John <b>!\nEnjoy & have fun.');
    t.deepEqual(welcome.to, ['user@example.com']);
    t.is(
      (await Mail.to('a@example.com').subject('x').build('orders/shipped', { id: 7 })).text,
      'Order 7 shipped (text)',
    );
    const raw = await Mail.to(['a@example.com', 'b@example.com'])
      .cc('m@example.com')
      .bcc('archive@example.com')
      .subject('Hello')
      .html('<h1>Hello World</h1>')
      .attach(attachment)
      .build();
    t.like(raw, { cc: ['m@example.com'], bcc: ['archive@example.com'], text: 'Hello World' });
    t.is(raw.attachments![0]!.filename, 'invoice.pdf');
    t.throws(() => Mail.to('not-an-address'), { message: 'Mail.to(): "not-an-address" is not an e-mail address' });
    await t.throwsAsync(Mail.to('a@example.com').subject('x').build(), { message: /no body; send a template/ });
    await t.throwsAsync(Mail.to('a@example.com').subject('x').build('missing'), {
      message: new RegExp(`no template "missing": create ${views}/missing\\.ejs`),
    });
    await t.throwsAsync(Mail.to('a@example.com').subject('x').build('../secret'), {
      message: /is not a template name/,
    });
    await t.throwsAsync(Mail.to('a@example.com').subject('x').text('t').attach('/nope/file.pdf').build(), {
      message: 'Mail.attach(): cannot read /nope/file.pdf',
    });
    t.throws(() => Mail.driver('pigeon'), {
      message: /unknown driver "pigeon"; drivers: log, array, smtp, sendgrid, mailgun, ses/,
    });
  },
);

test.serial(
  'without subject(), the template carries its subject (<title>); without one, a subject from its name or the app',
  async (t) => {
    configureLibs(settings({ APP_NAME: 'shop-api' }));
    // The seed's calls: Mail.to(x).attach(path).send('invoice', data), with no subject() in the chain.
    const invoice = await Mail.to('user@example.com').attach(attachment).build('invoice', { name: 'Ada' });
    t.is(invoice.subject, 'Your invoice & receipt, Ada');
    t.is(invoice.text, 'Invoice for Ada', 'the title is not in the text part');
    t.is((await Mail.to('user@example.com').build('invoice-due')).subject, 'Invoice due');
    t.is((await Mail.to('user@example.com').build('orders/shipped', { id: 7 })).subject, 'Shipped');
    t.is((await Mail.to('user@example.com').html('<p>Hi</p>').build()).subject, 'A message from shop-api');
    t.is(
      (await Mail.to('user@example.com').subject('Given').build('invoice', { name: 'Ada' })).subject,
      'Given',
      'subject() wins',
    );
    const api = await httpServer(t);
    configureLibs(settings({ SENDGRID_API_KEY: 'SG.key', SENDGRID_BASE_URL: api.url }));
    await Mail.driver('sendgrid').to('user@example.com').send('invoice', { name: 'Grace' });
    t.is(JSON.parse(api.seen[0]!.body.toString()).subject, 'Your invoice & receipt, Grace');
  },
);

test.serial("the fake records messages, also the app's own (sendMessage), with assertions", async (t) => {
  configureLibs(settings());
  Mail.fake();
  await Mail.to('user@example.com').cc('boss@example.com').subject('Welcome!').send('welcome', { name: 'Ann' });
  await Mail.sendMessage({ to: 'reset@example.com', subject: 'Reset your password', text: 'link' });
  Mail.assertSent('user@example.com');
  Mail.assertSent('boss@example.com');
  Mail.assertSent((message) => message.subject === 'Reset your password');
  Mail.assertNotSent('someone@example.com');
  Mail.assertSentCount(2);
  t.throws(() => Mail.assertSent('x@example.com'), {
    instanceOf: MailAssertionError,
    message:
      /expected a message to x@example\.com; sent: "Welcome!" to user@example\.com, boss@example\.com; "Reset your password" to reset@example\.com/,
  });
  t.throws(() => Mail.assertNothingSent(), { message: 'expected 0 message(s), 2 sent' });
  Mail.restore();
  t.throws(() => Mail.sent(), { message: 'Mail.sent(): call Mail.fake() first' });
});

test.serial('smtp: delivered to a real SMTP server, with cc, bcc (envelope only) and the attachment', async (t) => {
  const received: Array<{ from: string; recipients: string[]; mail: ParsedMail }> = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        received.push({
          from: (session.envelope.mailFrom as { address: string }).address,
          recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          mail,
        });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  t.teardown(() => smtp.close());
  configureLibs(settings({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String((smtp.server.address() as AddressInfo).port) }));
  await Mail.driver('smtp')
    .to('user@example.com')
    .cc('manager@example.com')
    .bcc('archive@example.com')
    .subject('Team Update')
    .attach(attachment)
    .send('welcome', { name: 'team' });
  t.is(received.length, 1);
  const [{ from, recipients, mail }] = received as [(typeof received)[0]];
  t.is(from, 'app@example.com');
  t.deepEqual(recipients.sort(), ['archive@example.com', 'manager@example.com', 'user@example.com']);
  t.is(mail.subject, 'Team Update');
  t.is(mail.html, '<h1>Welcome, team!</h1><p>Enjoy &amp; have fun.</p>');
  t.is(mail.text?.trim(), 'Welcome, team!\nEnjoy & have fun.');
  t.is(mail.headers.get('bcc'), undefined, 'bcc is not in the headers');
  t.is(mail.attachments[0]!.filename, 'invoice.pdf');
  t.is(mail.attachments[0]!.content.toString(), '%PDF-1.4 fake');
  configureLibs(settings({ SMTP_HOST: '127.0.0.1', SMTP_PORT: '1' }));
  await t.throwsAsync(Mail.driver('smtp').to('a@example.com').subject('x').text('y').send(), {
    message: /^smtp: the message could not be sent/,
  });
});

test.serial('sendgrid: the v3 mail/send request; a refusal is an error with the reply', async (t) => {
  const api = await httpServer(t);
  configureLibs(settings({ SENDGRID_API_KEY: 'SG.key', SENDGRID_BASE_URL: api.url }));
  await Mail.driver('sendgrid')
    .to('user@example.com')
    .bcc('archive@example.com')
    .subject('Welcome!')
    .attach({ filename: 'a.txt', content: 'hello' })
    .send('welcome', { name: 'John' });
  const [request] = api.seen;
  t.is(request!.url, '/v3/mail/send');
  t.is(request!.headers.authorization, 'Bearer SG.key');
  t.deepEqual(JSON.parse(request!.body.toString()), {
    personalizations: [{ to: [{ email: 'user@example.com' }], bcc: [{ email: 'archive@example.com' }] }],
    from: { email: 'app@example.com' },
    subject: 'Welcome!',
    content: [
      { type: 'text/plain', value: 'Welcome, John!\nEnjoy & have fun.' },
      { type: 'text/html', value: '<h1>Welcome, John!</h1><p>Enjoy &amp; have fun.</p>' },
    ],
    attachments: [{ filename: 'a.txt', content: Buffer.from('hello').toString('base64') }],
  });
  const refusing = await httpServer(t, 401, '{"errors":[{"message":"bad key"}]}');
  configureLibs(settings({ SENDGRID_API_KEY: 'SG.bad', SENDGRID_BASE_URL: refusing.url }));
  await t.throwsAsync(Mail.driver('sendgrid').to('a@example.com').subject('x').text('y').send(), {
    message: 'sendgrid refused the message: HTTP 401 {"errors":[{"message":"bad key"}]}',
  });
});

test.serial("mailgun: a multipart form to the domain's messages endpoint, with basic auth", async (t) => {
  const api = await httpServer(t, 200, '{"id":"<1@mg>","message":"Queued"}');
  configureLibs(settings({ MAILGUN_API_KEY: 'key-1', MAILGUN_DOMAIN: 'mg.example.com', MAILGUN_BASE_URL: api.url }));
  await Mail.driver('mailgun')
    .to(['a@example.com', 'b@example.com'])
    .cc('c@example.com')
    .subject('Hello')
    .html('<h1>Hello World</h1>')
    .attach(attachment)
    .send();
  const [request] = api.seen;
  t.is(request!.url, '/v3/mg.example.com/messages');
  t.is(request!.headers.authorization, `Basic ${Buffer.from('api:key-1').toString('base64')}`);
  const form = await new Response(request!.body, {
    headers: { 'content-type': request!.headers['content-type']! },
  }).formData();
  t.deepEqual(form.getAll('to'), ['a@example.com', 'b@example.com']);
  t.is(form.get('cc'), 'c@example.com');
  t.is(form.get('subject'), 'Hello');
  t.is(form.get('html'), '<h1>Hello World</h1>');
  t.is(form.get('text'), 'Hello World');
  const file = form.get('attachment') as File;
  t.is(file.name, 'invoice.pdf');
  t.is(await file.text(), '%PDF-1.4 fake');
});

test.serial('ses: SES v2 SendEmail with the raw MIME message', async (t) => {
  const api = await httpServer(t, 200, '{"MessageId":"0100-abc"}');
  configureLibs(
    settings({
      SES_ENDPOINT: api.url,
      SES_ACCESS_KEY_ID: 'AKIDTEST',
      SES_SECRET_ACCESS_KEY: 'secret',
      SES_REGION: 'eu-west-1',
    }),
  );
  await Mail.driver('ses')
    .to('user@example.com')
    .bcc('archive@example.com')
    .subject('Invoice')
    .attach(attachment)
    .send('orders/shipped', { id: 9 });
  const [request] = api.seen;
  t.is(request!.url, '/v2/email/outbound-emails');
  t.regex(
    String(request!.headers.authorization),
    /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/ses\/aws4_request/,
  );
  const body = JSON.parse(request!.body.toString()) as {
    FromEmailAddress: string;
    Destination: { ToAddresses: string[]; BccAddresses: string[] };
    Content: { Raw: { Data: string } };
  };
  t.is(body.FromEmailAddress, 'app@example.com');
  t.deepEqual(body.Destination.ToAddresses, ['user@example.com']);
  t.deepEqual(body.Destination.BccAddresses, ['archive@example.com']);
  const mime = await simpleParser(Buffer.from(body.Content.Raw.Data, 'base64'));
  t.is(mime.subject, 'Invoice');
  t.is(mime.text?.trim(), 'Order 9 shipped (text)');
  t.is(mime.attachments[0]!.filename, 'invoice.pdf');
});

test('log and array transports; settings name what a driver is missing', async (t) => {
  const array = createMailer(settings(), silent, 'array') as ArrayMailer;
  await array.send({ to: ['a@example.com'], cc: ['b@example.com'], subject: 'Hi', text: 'x' });
  t.is(array.lastTo('b@example.com')?.subject, 'Hi');
  const lines: string[] = [];
  const logger = createLogger({ level: 'info' }, { write: (line: string) => lines.push(line) });
  await createMailer(settings({ NODE_ENV: 'development' }), logger, 'log').send({
    to: 'a@example.com',
    subject: 'Hi',
    text: 'secret link',
  });
  t.true(lines.some((line) => line.includes('mail to a@example.com: Hi')));
  t.throws(() => loadSettings({ NODE_ENV: 'test', MAIL_DRIVER: 'sendgrid' }), {
    message: /MAIL_DRIVER is sendgrid but SENDGRID_API_KEY is not set/,
  });
  t.throws(() => loadSettings({ NODE_ENV: 'test', MAIL_DRIVER: 'mailgun', MAILGUN_API_KEY: 'k' }), {
    message: /MAILGUN_API_KEY and MAILGUN_DOMAIN are not both set/,
  });
  t.throws(() => loadSettings({ NODE_ENV: 'test', MAIL_DRIVER: 'smtp' }), {
    message: /MAIL_DRIVER is smtp but SMTP_HOST is not set/,
  });
});

test.serial("the app's own e-mails (auth) go through Mail, so Mail.fake() records them", async (t) => {
  const { default: knex } = await import('knex');
  const { knexConfigFromUrl } = await import('../../../runtime/database/dialects.js');
  const { createApp } = await import('../../../runtime/app.js');
  const { authRoutes } = await import('../../../runtime/routes/auth.js');
  const db = knex({
    ...knexConfigFromUrl('sqlite::memory:'),
    migrations: {
      directory: new URL('../../../runtime/database/migrations', import.meta.url).pathname,
      loadExtensions: ['.ts'],
    },
  });
  t.teardown(() => db.destroy());
  await db.migrate.latest();
  const appSettings = settings({ BCRYPT_ROUNDS: '4', RATE_LIMIT_ENABLED: 'false' });
  const app = createApp({ settings: appSettings, db, logger: silent, routes: [authRoutes] });
  Mail.fake();
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.teardown(() => server.close());
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Ada', email: 'ada@example.com', password: 'a good password 1' }),
  });
  t.is(response.status, 201, await response.clone().text());
  for (let waited = 0; Mail.sent().length === 0 && waited < 3000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
  Mail.assertSent((message) => message.to.includes('ada@example.com') && /verify/i.test(message.subject));
});
