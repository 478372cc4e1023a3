// Mailgun's messages API.
import { addressList, MailError, type Mailer, type MailMessage } from '../message.js';
import { post } from './http-api.js';

export interface MailgunOptions {
  apiKey: string | undefined;
  domain: string | undefined;
  /** https://api.mailgun.net, or https://api.eu.mailgun.net for the EU region. */
  baseUrl: string;
  timeoutMs: number;
}

/** Mailgun's messages API (multipart form, basic auth as "api"). */
export class MailgunMailer implements Mailer {
  constructor(
    private readonly from: string,
    private readonly options: MailgunOptions,
  ) {}

  async send(message: MailMessage): Promise<void> {
    if (!this.options.apiKey || !this.options.domain)
      throw new MailError('mailgun: set MAILGUN_API_KEY and MAILGUN_DOMAIN in .env');
    const form = new FormData();
    form.append('from', message.from ?? this.from);
    for (const to of addressList(message.to)) form.append('to', to);
    for (const cc of addressList(message.cc)) form.append('cc', cc);
    for (const bcc of addressList(message.bcc)) form.append('bcc', bcc);
    if (message.replyTo) form.append('h:Reply-To', message.replyTo);
    form.append('subject', message.subject);
    form.append('text', message.text);
    if (message.html) form.append('html', message.html);
    for (const file of message.attachments ?? [])
      form.append(
        'attachment',
        new Blob([Buffer.from(file.content)], { type: file.contentType ?? 'application/octet-stream' }),
        file.filename,
      );
    const auth = Buffer.from(`api:${this.options.apiKey}`).toString('base64');
    await post(
      'mailgun',
      `${this.options.baseUrl}/v3/${encodeURIComponent(this.options.domain)}/messages`,
      { headers: { authorization: `Basic ${auth}` }, body: form },
      this.options.timeoutMs,
    );
  }
}
