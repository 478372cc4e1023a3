// The database channel: toDatabase() as a row of the notifications table.
import { randomUUID } from 'node:crypto';
import { libsDatabase } from '../../config.js';
import {
  contentFor,
  NotificationError,
  type DatabaseContent,
  type Delivery,
  type Notifiable,
  type Notification,
} from '../notification.js';

export function prepareDatabase(notifiable: Notifiable, notification: Notification): Delivery {
  const build = contentFor(notification, 'database', 'toDatabase');
  const name = notification.constructor.name;
  if (notifiable.id === undefined)
    throw new NotificationError(
      `${name}: the database channel needs a recipient with an id (an on-demand recipient from Notify.route() has none)`,
    );
  const content = build(notifiable);
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
