// SMTP through nodemailer (an optional package: fastpy add smtp), loaded with the first message.
import type { Transporter } from 'nodemailer';
import { importOptional } from '../../../utils/optional-package.js';
import { MailError, type Mailer, type MailMessage } from '../message.js';

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
