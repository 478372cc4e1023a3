// Event: listeners, wildcards, subscribers, async listeners awaited in order, errors, the fake.
import test from 'ava';
import { EventDispatcher, type Subscriber } from '../../../runtime/libs/event/index.js';

test('listeners get the payload; exact names and wildcards (user.*, *.created, *) match', async (t) => {
  const events = new EventDispatcher();
  const seen: string[] = [];
  events.listen('user.registered', (data: { user: string }) => seen.push(`registered ${data.user}`));
  events.listen('user.*', (_data, name) => seen.push(`user.* saw ${name}`));
  events.listen('*.created', (_data, name) => seen.push(`*.created saw ${name}`));
  events.listen('*', (_data, name) => seen.push(`* saw ${name}`));
  await events.dispatch('user.registered', { user: 'ada' });
  await events.dispatch('order.created', { id: 1 });
  await events.dispatch('user.profile.updated');
  t.deepEqual(seen, [
    'registered ada',
    'user.* saw user.registered',
    '* saw user.registered',
    '*.created saw order.created',
    '* saw order.created',
    'user.* saw user.profile.updated',
    '* saw user.profile.updated',
  ]);
  t.true(events.hasListeners('user.deleted'));
  t.false(new EventDispatcher().hasListeners('x'));
});

test('async listeners are awaited one after another; results come back; a throw stops the rest', async (t) => {
  const events = new EventDispatcher();
  const order: string[] = [];
  events.listen('order.created', async () => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    order.push('slow');
    return 'first';
  });
  events.listen('order.created', () => {
    order.push('fast');
    return 'second';
  });
  t.deepEqual(await events.dispatch('order.created'), ['first', 'second']);
  t.deepEqual(order, ['slow', 'fast']);
  events.listen('payment.failed', () => {
    throw new Error('listener broke');
  });
  const after: string[] = [];
  events.listen('payment.failed', () => after.push('ran'));
  await t.throwsAsync(events.dispatch('payment.failed'), { message: 'listener broke' });
  t.deepEqual(after, []);
});

test('subscribers register their own listeners; listen() returns an unsubscribe; forget and reset', async (t) => {
  const events = new EventDispatcher();
  class UserSubscriber implements Subscriber {
    readonly log: string[] = [];
    subscribe(dispatcher: EventDispatcher) {
      dispatcher.listen('user.registered', (data: { id: number }) => this.log.push(`registered ${data.id}`));
      dispatcher.listen('user.deleted', (data: { id: number }) => this.log.push(`deleted ${data.id}`));
    }
  }
  const subscriber = new UserSubscriber();
  events.subscribe(subscriber);
  await events.dispatch('user.registered', { id: 1 });
  await events.dispatch('user.deleted', { id: 1 });
  t.deepEqual(subscriber.log, ['registered 1', 'deleted 1']);
  let count = 0;
  const stop = events.listen(['a', 'b'], () => (count += 1));
  await events.dispatch('a');
  stop();
  await events.dispatch('a');
  await events.dispatch('b');
  t.is(count, 1);
  events.forget('user.deleted');
  t.false(events.hasListeners('user.deleted'));
  events.reset();
  t.false(events.hasListeners('user.registered'));
  t.throws(() => events.listen('', () => {}), { message: 'Event.listen(): an event name is a non-empty string' });
});

test('the fake records instead of calling, with assertions that say what happened', async (t) => {
  const events = new EventDispatcher();
  let called = false;
  events.listen('user.registered', () => (called = true));
  events.fake();
  await events.dispatch('user.registered', { id: 7 });
  await events.dispatch('user.registered', { id: 8 });
  t.false(called);
  events.assertDispatched('user.registered');
  events.assertDispatched<{ id: number }>('user.registered', (payload) => payload.id === 8);
  events.assertDispatchedTimes('user.registered', 2);
  events.assertNotDispatched('order.created');
  t.throws(() => events.assertDispatched('order.created'), {
    message: 'expected "order.created" to be dispatched; dispatched: user.registered',
  });
  t.throws(() => events.assertDispatched<{ id: number }>('user.registered', (payload) => payload.id === 9), {
    message: '"user.registered" was dispatched 2 time(s), but never with a payload that passes the check',
  });
  t.throws(() => events.assertDispatchedTimes('user.registered', 1), {
    message: 'expected "user.registered" to be dispatched 1 time(s), it was dispatched 2 time(s)',
  });
  t.throws(() => events.assertNotDispatched('user.registered'), {
    message: 'expected "user.registered" not to be dispatched; it was dispatched 2 time(s)',
  });
  events.restore();
  await events.dispatch('user.registered', {});
  t.true(called);
});
