// Recipients: a user row (or anything with an email, a phone…), or addresses given on demand
// (Notify.route()), and the address a channel sends to.
import { libsSettings } from '../config.js';
import type { Channel, Notifiable } from './notification.js';

/** Recipients given by address, for Notify.route(…).notify(…). */
export class AnonymousNotifiable implements Notifiable {
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

export function addressFor(notifiable: Notifiable, channel: Channel): string | undefined {
  const routed = notifiable.routeNotificationFor?.(channel);
  if (routed) return routed;
  if (channel === 'mail') return notifiable.email;
  if (channel === 'sms') return notifiable.phone;
  if (channel === 'slack') return libsSettings().notify.slackWebhookUrl;
  return undefined;
}
