// Mail: e-mail through MAIL_DRIVER (log in development, array in tests, smtp, sendgrid, mailgun, ses).
// `fastpy libs mail --usage` prints this file; the tests run it. Templates: views/mail/<name>.ejs.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mail } from '#libs';

const email = 'user@example.com';
const invoice = join(tmpdir(), 'invoice.pdf');
writeFileSync(invoice, '%PDF-1.4');

// Send an e-mail with a template (views/mail/welcome.ejs)
await Mail.to('user@example.com').subject('Welcome!').send('welcome', { name: 'John' });

// Multiple recipients
await Mail.to(['user1@example.com', 'user2@example.com'])
  .cc('manager@example.com')
  .bcc('archive@example.com')
  .subject('Team Update')
  .html('<p>Hello team!</p>')
  .send();

// Raw HTML (the text part is derived from it)
await Mail.to('user@example.com').subject('Hello').html('<h1>Hello World</h1>').send();

// Attachments
await Mail.to(email).subject('Your invoice').attach(invoice).send('welcome', { name: 'John' });

// No subject(): the template's <title> is the subject (else one made from the template's name)
await Mail.to(email).attach(invoice).send('welcome', { name: 'John' });

// Use a specific driver (needs its settings: SENDGRID_API_KEY…)
const viaSendgrid = Mail.driver('sendgrid').to('user@example.com').subject('Hi');
assert.ok(viaSendgrid);

// In tests: record instead of sending, then assert
Mail.fake();
await Mail.to('user@example.com').subject('Welcome!').send('welcome', { name: 'John' });
await Mail.to('other@example.com').send('welcome', { name: 'Ada' });
Mail.assertSent('user@example.com');
Mail.assertSent((message) => message.subject === 'Welcome!' && (message.html ?? '').includes('John'));
Mail.assertSent((message) => message.to.includes('other@example.com') && message.subject.length > 0);
Mail.assertNotSent('nobody@example.com');
Mail.restore();
