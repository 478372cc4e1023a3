// A Notification: one message, several channels. It says `via(notifiable)` which channels carry it
// and builds each one (toMail, toDatabase, toSlack, toSms); classes are registered by name so that
// a worker can rebuild a queued one.
import { FastpyError } from '../../utils/errors.js';
import { ClassRegistry } from '../../utils/class-registry.js';

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

export type NotificationClass = (new (...args: never[]) => Notification) & { notificationName?: string };

export interface SmsProvider {
  send(to: string, text: string): Promise<void>;
}

export class NotificationError extends FastpyError {
  constructor(message: string) {
    super('E_NOTIFICATION', message);
  }
}

export const registry = new ClassRegistry<NotificationClass>(
  'notification',
  (type) => type.notificationName ?? type.name,
  'give one a static notificationName',
  (message) => new NotificationError(message),
);
export const nameOf = registry.nameOf;

/** Makes notification classes known to the worker (for queued notifications). */
export function registerNotifications(...types: NotificationClass[]): void {
  registry.register(...types);
}

/** Sends a message a channel has built and checked (channels/). */
export type Delivery = () => Promise<void>;

/** What a channel needs from a notification that is sent through it: the method that builds its message. */
export function contentFor<K extends keyof ChannelContent>(
  notification: Notification,
  channel: Channel,
  method: K,
): NonNullable<ChannelContent[K]> {
  const build = (notification as Notification & ChannelContent)[method];
  if (!build)
    throw new NotificationError(`${notification.constructor.name} is sent via ${channel} but has no ${method}()`);
  return build.bind(notification) as NonNullable<ChannelContent[K]>;
}
