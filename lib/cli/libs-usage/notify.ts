// Notify and Notification: one message over mail, database, slack and sms. `fastpy libs notify --usage`
// prints this file; the tests run it (with Notify.fake(): no webhook or database needed to try it).
import assert from 'node:assert/strict';
import { Notification, Notify, type Channel, type Notifiable } from '#libs';

interface Order {
  id: number;
}

// Define a notification: via() picks the channels, a to…() method builds each
class OrderShippedNotification extends Notification {
  constructor(public order: Order) {
    super();
  }

  via(_notifiable: Notifiable): Channel[] {
    return ['mail', 'database', 'slack'];
  }

  toMail() {
    return { subject: 'Your order has shipped!', template: 'welcome', data: { name: `order #${this.order.id}` } };
  }

  toDatabase() {
    return { type: 'order_shipped', data: { order_id: this.order.id } }; // a row in the notifications table
  }

  toSlack() {
    return { text: `Order #${this.order.id} has shipped!` }; // posted to SLACK_WEBHOOK_URL
  }

  toSms() {
    return `Order #${this.order.id} shipped!`; // through Notify.useSms(provider)
  }
}

// Send it later, through the queue and the worker:
class QueuedOrderShipped extends OrderShippedNotification {
  override queue = true;
}

const user = { id: 1, email: 'ada@example.com' };
const users = [user, { id: 2, email: 'bob@example.com' }];
const order = { id: 42 };

Notify.fake(); // in tests; without it, each channel really sends

// Send a notification
await Notify.send(user, new OrderShippedNotification(order));

// Send to multiple users
await Notify.send(users, new OrderShippedNotification(order));

// On-demand (anonymous) notification
await Notify.route('mail', 'guest@example.com').route('slack', '#orders').notify(new OrderShippedNotification(order));

// A pluggable SMS provider (Twilio, Vonage, …): anything with send(to, text)
Notify.useSms({ send: async (to, text) => console.log(`sms to ${to}: ${text}`) });

Notify.assertSentTo(user, OrderShippedNotification);
assert.equal(Notify.sent().length, 4);
assert.ok(new QueuedOrderShipped(order).queue);
Notify.restore();
