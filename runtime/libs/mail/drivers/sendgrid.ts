// SendGrid's v3 mail/send API.
import { addressList, MailError, type Mailer, type MailMessage } from '../message.js';
import { post } from './http-api.js';

export interface SendgridOptions {
  apiKey: string | undefined;
  baseUrl: string;
  timeoutMs: number;
}

/** SendGrid's v3 mail/send API. */
export class SendgridMailer implements Mailer {
  constructor(
    private readonly from: string,
    private readonly options: SendgridOptions,
  ) {}

  async send(message: MailMessage): Promise<void> {
    if (!this.options.apiKey) throw new MailError('sendgrid: set SENDGRID_API_KEY in .env');
    const addresses = (values: string[]) => (values.length ? values.map((email) => ({ email })) : undefined);
    const body = {
      personalizations: [
        {
          to: addresses(addressList(message.to)),
          cc: addresses(addressList(message.cc)),
          bcc: addresses(addressList(message.bcc)),
        },
      ],
      from: { email: message.from ?? this.from },
      reply_to: message.replyTo ? { email: message.replyTo } : undefined,
      subject: message.subject,
      content: [
        { type: 'text/plain', value: message.text },
        ...(message.html ? [{ type: 'text/html', value: message.html }] : []),
      ],
      attachments: message.attachments?.map((file) => ({
        filename: file.filename,
        type: file.contentType,
        content: Buffer.from(file.content).toString('base64'),
      })),
    };
    await post(
      'sendgrid',
      `${this.options.baseUrl}/v3/mail/send`,
      {
        headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      this.options.timeoutMs,
    );
  }
}
