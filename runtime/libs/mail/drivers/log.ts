// The log driver (development's default): each message goes to the log instead of being sent.
import type { Logger } from '../../../utils/logger.js';
import type { Mailer, MailMessage } from '../message.js';

/**
 * Writes each message to the log instead of sending it. The body (which may hold a one-time link)
 * is logged only in development.
 */
export class LogMailer implements Mailer {
  constructor(
    private readonly logger: Logger,
    private readonly options: { from: string; includeBody: boolean },
  ) {}

  async send(message: MailMessage): Promise<void> {
    const to = ([] as string[]).concat(message.to).join(', ');
    const line = {
      mail: {
        from: message.from ?? this.options.from,
        to,
        cc: message.cc,
        bcc: message.bcc,
        subject: message.subject,
        attachments: message.attachments?.map((file) => file.filename),
      },
    };
    if (this.options.includeBody)
      this.logger.info({ ...line, body: message.text }, `mail to ${to}: ${message.subject}`);
    else this.logger.info(line, `mail to ${to}: ${message.subject} (log driver: not sent)`);
  }
}
