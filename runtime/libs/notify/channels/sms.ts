// The sms channel: toSms() through the app's SMS provider (Notify.useSms), the log until one is plugged in.
import { libsSettings } from '../../config.js';
import { createLogger } from '../../../utils/logger.js';
import {
  contentFor,
  NotificationError,
  type Delivery,
  type Notifiable,
  type Notification,
  type SmsProvider,
} from '../notification.js';
import { addressFor } from '../recipients.js';

/** The log, until an app plugs in its SMS provider (Notify.useSms). */
export class LogSms implements SmsProvider {
  async send(to: string, text: string) {
    const settings = libsSettings();
    createLogger({ level: settings.logLevel, pretty: settings.logPretty, name: settings.appName }).info(
      { sms: { to } },
      `sms to ${to}: ${text}`,
    );
  }
}

export function prepareSms(notifiable: Notifiable, notification: Notification, provider: SmsProvider): Delivery {
  const build = contentFor(notification, 'sms', 'toSms');
  const to = addressFor(notifiable, 'sms');
  if (!to)
    throw new NotificationError(
      `${notification.constructor.name}: the recipient has no phone number for the sms channel`,
    );
  const text = build(notifiable);
  return () => provider.send(to, text);
}
