// The mail channel: toMail() through the Mail facade, rendered before anything is sent.
import { Mail } from '../../mail/manager.js';
import { contentFor, NotificationError, type Delivery, type Notifiable, type Notification } from '../notification.js';
import { addressFor } from '../recipients.js';

export async function prepareMail(notifiable: Notifiable, notification: Notification): Promise<Delivery> {
  const build = contentFor(notification, 'mail', 'toMail');
  const to = addressFor(notifiable, 'mail');
  if (!to)
    throw new NotificationError(
      `${notification.constructor.name}: the recipient has no e-mail address for the mail channel`,
    );
  const content = build(notifiable);
  let mail = Mail.to(to);
  if (content.subject) mail = mail.subject(content.subject);
  if (content.html) mail = mail.html(content.html);
  if (content.text) mail = mail.text(content.text);
  // Rendered now: a missing template stops the sending before anything has gone out.
  const message = await mail.build(content.template, content.data ?? {});
  return () => Mail.sendMessage(message);
}
