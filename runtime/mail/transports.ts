// The transports that really send: SMTP through nodemailer (an optional package, loaded with the
// first message), and SendGrid's and Mailgun's HTTP APIs (Amazon SES is in ses-mailer.ts). This
// module loads on first use, so an app that only logs mail never loads it.
import type { Transporter } from 'nodemailer';
import { importOptional } from '../utils/optional-package.js';
import { addressList, MailError, type Mailer, type MailMessage } from './mailer.js';

async function post(provider: string, url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, method: 'POST', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new MailError(
      `${provider}: the API at ${new URL(url).host} could not be reached (${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message})`,
      { cause: error },
    );
  }
  if (!response.ok)
    throw new MailError(
      `${provider} refused the message: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`,
    );
  return response;
}

export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string | undefined;
  password: string | undefined;
}

export class SmtpMailer implements Mailer {
  #transport: Promise<Transporter> | undefined;

  constructor(
    private readonly from: string,
    private readonly options: SmtpOptions,
  ) {}

  /** nodemailer's transport, made on the first message (nodemailer is installed with `fastpy add smtp`). */
  #connect(): Promise<Transporter> {
    const { options } = this;
    return (this.#transport ??= importOptional('smtp', 'MAIL_DRIVER=smtp', () => import('nodemailer')).then(
      ({ default: nodemailer }) =>
        nodemailer.createTransport({
          host: options.host,
          port: options.port,
          secure: options.secure,
          auth: options.user ? { user: options.user, pass: options.password ?? '' } : undefined,
          connectionTimeout: 10_000,
        }),
    ));
  }

  async send(message: MailMessage): Promise<void> {
    const transport = await this.#connect();
    try {
      await transport.sendMail({ ...message, from: message.from ?? this.from, attachments: message.attachments });
    } catch (error) {
      throw new MailError(`smtp: the message could not be sent (${(error as Error).message})`, { cause: error });
    }
  }
}

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
