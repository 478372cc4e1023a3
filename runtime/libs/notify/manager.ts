// Notify: sends notifications to users (or anything with an id, an email, a phone…) or, on demand,
// to addresses given by route(). Channels (channels/): mail (the Mail facade), database (a row in
// `notifications`), slack (an incoming webhook, through Http) and sms (a pluggable provider). A
// notification with `queue` set is sent by the worker.
import { libsDatabase } from '../config.js';
import { Job, registerJobs } from '../queue/job.js';
import { Queue } from '../queue/manager.js';
import { prepareDatabase } from './channels/database.js';
import { prepareMail } from './channels/mail.js';
import { prepareSlack } from './channels/slack.js';
import { LogSms, prepareSms } from './channels/sms.js';
import {
  CHANNELS,
  nameOf,
  Notification,
  NotificationError,
  registerNotifications,
  registry,
  type Channel,
  type Delivery,
  type Notifiable,
  type NotificationClass,
  type SmsProvider,
} from './notification.js';
import { AnonymousNotifiable } from './recipients.js';

interface SentRecord {
  notifiable: Notifiable;
  notification: Notification;
  channels: Channel[];
}

class SendQueuedNotification extends Job {
  constructor(
    public notification: { name: string; data: Record<string, unknown> } = { name: '', data: {} },
    public notifiables: Array<Record<string, unknown> & { routes?: Partial<Record<Channel, string>> }> = [],
  ) {
    super();
  }

  async handle(): Promise<void> {
    const type = registry.get(this.notification.name);
    if (!type)
      throw new NotificationError(
        `no notification class named ${this.notification.name} is registered in the worker: add it to src/jobs/index.ts with registerNotifications()`,
      );
    const notification = Object.assign(
      Object.create(type.prototype as object) as Notification,
      this.notification.data as object,
    );
    const recipients = this.notifiables.map((data): Notifiable =>
      data.routes ? new AnonymousNotifiable(data.routes) : (data as Notifiable),
    );
    await Notify.sendNow(recipients, notification);
  }
}

class NotifyManager {
  #sms: SmsProvider = new LogSms();
  #fake: SentRecord[] | undefined;

  /** Plugs in the SMS provider (Twilio, Vonage, …): anything with send(to, text). */
  useSms(provider: SmsProvider): void {
    this.#sms = provider;
  }

  /** Sends to one recipient or several; queued when the notification asks to be. */
  async send(notifiables: Notifiable | readonly Notifiable[], notification: Notification): Promise<void> {
    const list = ([] as Notifiable[]).concat(notifiables);
    if (!(notification instanceof Notification))
      throw new TypeError('Notify.send(): the notification must extend Notification');
    const type = notification.constructor as NotificationClass;
    registerNotifications(type);
    if (notification.queue && !this.#fake) {
      const data = JSON.parse(JSON.stringify({ ...notification })) as Record<string, unknown>;
      const plain = list.map((notifiable) =>
        notifiable instanceof AnonymousNotifiable
          ? { routes: notifiable.routes }
          : (JSON.parse(JSON.stringify(notifiable)) as Record<string, unknown>),
      );
      const job = new SendQueuedNotification({ name: nameOf(type), data }, plain);
      await (typeof notification.queue === 'string' ? Queue.on(notification.queue) : Queue.on('default')).push(job);
      return;
    }
    await this.sendNow(list, notification);
  }

  /**
   * Sends at once, whatever the notification's `queue` says. Every channel of every recipient is
   * checked and built first (its method, its address, its webhook), so that a problem with one stops
   * the sending before any message has gone out.
   */
  async sendNow(notifiables: Notifiable | readonly Notifiable[], notification: Notification): Promise<void> {
    const deliveries: Array<() => Promise<void>> = [];
    for (const notifiable of ([] as Notifiable[]).concat(notifiables)) {
      const channels = notification.via(notifiable);
      for (const channel of channels)
        if (!CHANNELS.includes(channel))
          throw new NotificationError(
            `${notification.constructor.name}.via() names an unknown channel "${channel}"; channels: ${CHANNELS.join(', ')}`,
          );
      if (this.#fake) {
        this.#fake.push({ notifiable, notification, channels });
        continue;
      }
      for (const channel of channels) deliveries.push(await this.#prepare(channel, notifiable, notification));
    }
    for (const deliver of deliveries) await deliver();
  }

  /** Checks that a channel can carry the notification to the recipient and builds its message (a mail is rendered); returns what sends it. */
  async #prepare(channel: Channel, notifiable: Notifiable, notification: Notification): Promise<Delivery> {
    switch (channel) {
      case 'mail':
        return prepareMail(notifiable, notification);
      case 'database':
        return prepareDatabase(notifiable, notification);
      case 'slack':
        return prepareSlack(notifiable, notification);
      case 'sms':
        return prepareSms(notifiable, notification, this.#sms);
    }
  }

  /** Recipients by address: `Notify.route('mail', 'guest@example.com').route('slack', '#orders').notify(n)`. */
  route(channel: Channel, address: string): PendingRoutes {
    return new PendingRoutes(this).route(channel, address);
  }

  /** A recipient's unread database notifications, newest first. */
  async unread(
    notifiable: Notifiable,
  ): Promise<Array<{ id: string; type: string; data: unknown; created_at: unknown }>> {
    const rows = (await libsDatabase()('notifications')
      .where({ notifiable_type: notifiable.notifiableType ?? 'users', notifiable_id: String(notifiable.id) })
      .whereNull('read_at')
      .orderBy('created_at', 'desc')) as Array<{ id: string; type: string; data: string; created_at: unknown }>;
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      data: JSON.parse(row.data) as unknown,
      created_at: row.created_at,
    }));
  }

  async markAsRead(id: string): Promise<void> {
    await libsDatabase()('notifications').where({ id }).update({ read_at: new Date() });
  }

  /** Records notifications instead of sending them. */
  fake(): this {
    this.#fake = [];
    return this;
  }

  restore(): void {
    this.#fake = undefined;
  }

  sent(): SentRecord[] {
    if (!this.#fake) throw new NotificationError('Notify.sent(): call Notify.fake() first');
    return [...this.#fake];
  }

  assertSentTo(
    notifiable: Notifiable,
    type: NotificationClass,
    predicate: (notification: Notification, channels: Channel[]) => boolean = () => true,
  ): void {
    const found = this.sent().some(
      (record) =>
        (record.notifiable === notifiable || (notifiable.id !== undefined && record.notifiable.id === notifiable.id)) &&
        record.notification instanceof type &&
        predicate(record.notification, record.channels),
    );
    if (!found)
      throw new NotificationError(
        `expected a ${type.name} sent to ${notifiable.email ?? notifiable.id ?? 'the recipient'}; sent: ${
          this.sent()
            .map(
              (record) =>
                `${record.notification.constructor.name} to ${record.notifiable.email ?? record.notifiable.id ?? 'an on-demand recipient'}`,
            )
            .join(', ') || 'nothing'
        }`,
      );
  }

  assertNothingSent(): void {
    const count = this.sent().length;
    if (count > 0) throw new NotificationError(`expected no notifications; ${count} sent`);
  }
}

export class PendingRoutes {
  readonly #routes: Partial<Record<Channel, string>> = {};

  constructor(private readonly manager: NotifyManager) {}

  route(channel: Channel, address: string): PendingRoutes {
    if (!CHANNELS.includes(channel))
      throw new TypeError(`Notify.route(): unknown channel "${channel}"; channels: ${CHANNELS.join(', ')}`);
    this.#routes[channel] = address;
    return this;
  }

  notify(notification: Notification): Promise<void> {
    return this.manager.send(new AnonymousNotifiable({ ...this.#routes }), notification);
  }
}

// Queued notifications are sent by this job; a worker knows it once this module is loaded (src/jobs/index.ts imports it).
registerJobs(SendQueuedNotification);

/**
 * @example
 * await Notify.send(user, new OrderShipped(order));
 * await Notify.route('mail', 'guest@example.com').route('slack', '#orders').notify(new OrderShipped(order));
 */
export const Notify = new NotifyManager();
