// The slack channel: toSlack() posted to an incoming webhook through the Http facade.
import { libsSettings } from '../../config.js';
import { Http } from '../../http/manager.js';
import { contentFor, NotificationError, type Delivery, type Notifiable, type Notification } from '../notification.js';
import { addressFor } from '../recipients.js';

export function prepareSlack(notifiable: Notifiable, notification: Notification): Delivery {
  const build = contentFor(notification, 'slack', 'toSlack');
  const route = addressFor(notifiable, 'slack');
  const content = build(notifiable);
  const message = typeof content === 'string' ? { text: content } : content;
  // A route is a webhook URL, or a channel posted to through SLACK_WEBHOOK_URL.
  const webhook = route && /^https?:\/\//.test(route) ? route : libsSettings().notify.slackWebhookUrl;
  if (!webhook)
    throw new NotificationError(
      `${notification.constructor.name}: no Slack webhook: set SLACK_WEBHOOK_URL, or route('slack', 'https://hooks.slack.com/…')`,
    );
  const channelName = route && !/^https?:\/\//.test(route) ? route : message.channel;
  return async () =>
    void (
      await Http.timeout(10)
        .retry(2, 500)
        .post(webhook, { ...message, channel: channelName })
    ).throw();
}
