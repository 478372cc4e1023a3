// Event: listeners, wildcards, subscribers. `fastpy libs event --usage` prints this file; the tests run it.
import assert from 'node:assert/strict';
import { Event, type EventDispatcher } from '#libs';

const log: string[] = [];
const sendWelcomeEmail = (user: { id: number }) => log.push(`welcome ${user.id}`);

// Listen to events
Event.listen('user.registered', (data: { user: { id: number } }) => sendWelcomeEmail(data.user));
Event.listen('order.created', (data: { order: { id: number } }) =>
  log.push(`admin notified of order ${data.order.id}`),
);

// Wildcard listeners
Event.listen('user.*', (_data, name) => log.push(`user activity: ${name}`));
Event.listen('*.created', (_data, name) => log.push(`created: ${name}`));

// Dispatch an event (listeners run in order; async ones are awaited)
await Event.dispatch('user.registered', { user: { id: 1 } });
await Event.dispatch('order.created', { order: { id: 7 } });

// A subscriber class
class UserSubscriber {
  subscribe(events: EventDispatcher) {
    events.listen('user.registered', (data: { user: { id: number } }) => this.onRegistered(data));
    events.listen('user.deleted', (data: { user: { id: number } }) => this.onDeleted(data));
  }

  onRegistered(data: { user: { id: number } }) {
    log.push(`User registered: ${data.user.id}`);
  }

  onDeleted(data: { user: { id: number } }) {
    log.push(`User deleted: ${data.user.id}`);
  }
}
Event.subscribe(new UserSubscriber());
await Event.dispatch('user.deleted', { user: { id: 1 } });

assert.deepEqual(log, [
  'welcome 1',
  'user activity: user.registered',
  'admin notified of order 7',
  'created: order.created',
  'user activity: user.deleted',
  'User deleted: 1',
]);

// In tests: record instead of calling listeners
Event.fake();
await Event.dispatch('user.registered', { user: { id: 2 } });
Event.assertDispatched('user.registered');
Event.assertNotDispatched('user.deleted');
Event.restore();
