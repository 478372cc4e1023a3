// Notify and Notification: one message, several channels. A Notification says `via(notifiable)`
// which channels carry it and builds each one (toMail, toDatabase, toSlack, toSms); Notify sends it to
// users (or anything with an id, an email, a phone…) or, on demand, to addresses given by route().
// Channels: mail (the Mail facade), database (a row in `notifications`), slack (an incoming webhook,
// through Http) and sms (a pluggable provider). A notification with `queue` set is sent by the worker.
import { FastpyError } from '../utils/errors.js';
import { randomUUID } from 'node:crypto';
import { Http } from './http.js';
import { libsDatabase, libsSettings } from './config.js';
import { Mail } from './mail.js';
import { Job, Queue, registerJobs } from './queue.js';
import { ClassRegistry } from '../utils/class-registry.js';
import { createLogger } from '../utils/logger.js';

export type Channel = 'mail' | 'database' | 'slack' | 'sms';
export const CHANNELS: readonly Channel[] = ['mail', 'database', 'slack', 'sms'];

/** Who receives: a user row, or any object with the fields its channels need. */
export interface Notifiable {
  id?: string | number;
  email?: string;
  phone?: string;
  /** The kind of recipient, for the database channel (default 'users'). */
  notifiableType?: string;
  /** An address for a channel, when it is not the field above (a Slack webhook, another e-mail). */
  routeNotificationFor?(channel: Channel): string | undefined;
}

export interface MailContent {
  /** Without one: the template's <title>, else a subject from the template's name (see Mail). */
  subject?: string;
  /** A template in views/mail, rendered with data… */
  template?: string;
  data?: Record<string, unknown>;
  /** …or the body itself. */
  html?: string;
  text?: string;
}

export interface DatabaseContent {
  type?: string;
  data: Record<string, unknown>;
}

export interface SlackContent {
  text: string;
  blocks?: unknown[];
  /** A channel (#orders) for a webhook that may post to several. */
  channel?: string;
}

/** What a notification builds for each channel it is sent via (a subclass defines those it uses). */
export interface ChannelContent {
  toMail?(notifiable: Notifiable): MailContent;
  toDatabase?(notifiable: Notifiable): DatabaseContent | Record<string, unknown>;
  toSlack?(notifiable: Notifiable): SlackContent | string;
  toSms?(notifiable: Notifiable): string;
}

export abstract class Notification {
  /** Send through the queue (true: the default queue, or a queue's name) instead of at once. */
  queue: boolean | string = false;

  /** The channels for this recipient; define toMail(), toDatabase(), toSlack(), toSms() for those named. */
  abstract via(notifiable: Notifiable): Channel[];
}

type NotificationClass = (new (...args: never[]) => Notification) & { notificationName?: string };

export interface SmsProvider {
  send(to: string, text: string): Promise<void>;
}

export class NotificationError extends FastpyError {
  constructor(message: string) {
    super('E_NOTIFICATION', message);
  }
}

const registry = new ClassRegistry<NotificationClass>(
  'notification',
  (type) => type.notificationName ?? type.name,
  'give one a static notificationName',
  (message) => new NotificationError(message),
);
const nameOf = registry.nameOf;

/** Makes notification classes known to the worker (for queued notifications). */
export function registerNotifications(...types: NotificationClass[]): void {
  registry.register(...types);
}

/** Recipients given by address, for Notify.route(…).notify(…). */
class AnonymousNotifiable implements Notifiable {
  constructor(readonly routes: Partial<Record<Channel, string>> = {}) {}

  get email() {
    return this.routes.mail;
  }

  get phone() {
    return this.routes.sms;
  }

  routeNotificationFor(channel: Channel) {
    return this.routes[channel];
  }
}

function addressFor(notifiable: Notifiable, channel: Channel): string | undefined {
  const routed = notifiable.routeNotificationFor?.(channel);
  if (routed) return routed;
  if (channel === 'mail') return notifiable.email;
  if (channel === 'sms') return notifiable.phone;
  if (channel === 'slack') return libsSettings().notify.slackWebhookUrl;
  return undefined;
}

/** The log, until an app plugs in its SMS provider (Notify.useSms). */
class LogSms implements SmsProvider {
  async send(to: string, text: string) {
    const settings = libsSettings();
    createLogger({ level: settings.logLevel, pretty: settings.logPretty, name: settings.appName }).info(
      { sms: { to } },
      `sms to ${to}: ${text}`,
    );
  }
}

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
  async #prepare(channel: Channel, notifiable: Notifiable, sent: Notification): Promise<() => Promise<void>> {
    const notification = sent as Notification & ChannelContent;
    const name = notification.constructor.name;
    const missing = (method: string) => new NotificationError(`${name} is sent via ${channel} but has no ${method}()`);
    if (channel === 'mail') {
      if (!notification.toMail) throw missing('toMail');
      const to = addressFor(notifiable, 'mail');
      if (!to) throw new NotificationError(`${name}: the recipient has no e-mail address for the mail channel`);
      const content = notification.toMail(notifiable);
      let mail = Mail.to(to);
      if (content.subject) mail = mail.subject(content.subject);
      if (content.html) mail = mail.html(content.html);
      if (content.text) mail = mail.text(content.text);
      // Rendered now: a missing template stops the sending before anything has gone out.
      const message = await mail.build(content.template, content.data ?? {});
      return () => Mail.sendMessage(message);
    }
    if (channel === 'database') {
      if (!notification.toDatabase) throw missing('toDatabase');
      if (notifiable.id === undefined)
        throw new NotificationError(
          `${name}: the database channel needs a recipient with an id (an on-demand recipient from Notify.route() has none)`,
        );
      const content = notification.toDatabase(notifiable);
      const { type, data } =
        'data' in content && typeof content.data === 'object' && content.data !== null
          ? (content as DatabaseContent)
          : { type: undefined, data: content };
      const row = {
        id: randomUUID(),
        type: type ?? name,
        notifiable_type: notifiable.notifiableType ?? 'users',
        notifiable_id: String(notifiable.id),
        data: JSON.stringify(data),
        read_at: null,
      };
      return async () => void (await libsDatabase()('notifications').insert(row));
    }
    if (channel === 'slack') {
      if (!notification.toSlack) throw missing('toSlack');
      const route = addressFor(notifiable, 'slack');
      const content = notification.toSlack(notifiable);
      const message = typeof content === 'string' ? { text: content } : content;
      // A route is a webhook URL, or a channel posted to through SLACK_WEBHOOK_URL.
      const webhook = route && /^https?:\/\//.test(route) ? route : libsSettings().notify.slackWebhookUrl;
      if (!webhook)
        throw new NotificationError(
          `${name}: no Slack webhook: set SLACK_WEBHOOK_URL, or route('slack', 'https://hooks.slack.com/…')`,
        );
      const channelName = route && !/^https?:\/\//.test(route) ? route : message.channel;
      return async () =>
        void (
          await Http.timeout(10)
            .retry(2, 500)
            .post(webhook, { ...message, channel: channelName })
        ).throw();
    }
    if (!notification.toSms) throw missing('toSms');
    const to = addressFor(notifiable, 'sms');
    if (!to) throw new NotificationError(`${name}: the recipient has no phone number for the sms channel`);
    const text = notification.toSms(notifiable);
    return () => this.#sms.send(to, text);
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
