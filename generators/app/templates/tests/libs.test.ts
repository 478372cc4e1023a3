// The facades resolve through '#libs' here too (package.json "imports"), with the test settings.
import test from 'ava';
import { Cache, Crypt, Event, Hash, Mail } from '#libs';

test('Hash, Crypt, Cache, Event and Mail answer through #libs', async (t) => {
  const hashed = await Hash.make('password');
  t.true(await Hash.check('password', hashed));
  t.deepEqual(Crypt.decrypt(Crypt.encrypt({ id: 1 })), { id: 1 }); // APP_KEY from .env.test
  t.is(await Cache.store('memory').remember('answer', () => 42), 42);
  Event.fake();
  await Event.dispatch('user.registered', { id: 1 });
  Event.assertDispatched('user.registered');
  Event.restore();
  Mail.fake();
  await Mail.to('ada@example.com').subject('Welcome!').send('welcome', { name: 'Ada' }); // views/mail/welcome.ejs
  Mail.assertSent((message) => (message.html ?? '').includes('Welcome, Ada!'));
  Mail.restore();
});
