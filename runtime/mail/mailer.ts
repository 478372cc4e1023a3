// The mail transports the application (auth's e-mails) and the Mail facade send through, chosen by
// MAIL_DRIVER: log (development: the message goes to the log), array (tests: kept for assertions),
// smtp (nodemailer), and the sendgrid, mailgun and ses APIs (transports.ts).
import { FastpyError } from '../utils/errors.js';
import type { MailDriver, Settings } from '../config/settings.js';
import type { Logger } from '../utils/logger.js';
import { importOptional } from '../utils/optional-package.js';

/** A transport could not deliver a message (the provider refused it, or could not be reached). */
export class MailError extends FastpyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_MAIL', message, options);
  }
}

export interface MailAttachment {
  filename: string;
  /** The file's bytes (or text). */
  content: Buffer | string;
  contentType?: string;
}

export interface MailMessage {
  /** Defaults to MAIL_FROM. */
  from?: string;
  to: string | string[];
  cc?: string[];
  bcc?: string[];
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** One address or several, as a list. */
export const addressList = (value: string | string[] | undefined): string[] => ([] as string[]).concat(value ?? []);

/** Every address a message goes to. */
export const recipients = (message: MailMessage): string[] => [
  ...addressList(message.to),
  ...addressList(message.cc),
  ...addressList(message.bcc),
];

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

/**
 * Keeps messages in memory: the test driver.
 *
 * @example
 * const mailer = new ArrayMailer();
 * await mailer.send({ to: 'a@example.com', subject: 'Hi', text: '…' });
 * mailer.sent.at(-1)?.subject // 'Hi'
 */
export class ArrayMailer implements Mailer {
  readonly sent: MailMessage[] = [];

  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }

  /** The last message sent to an address (as to, cc or bcc). */
  lastTo(address: string): MailMessage | undefined {
    return this.sent.filter((message) => recipients(message).includes(address)).at(-1);
  }
}

/** A transport whose module is loaded on the first message (startup stays fast). */
function loadedOnFirstSend(load: () => Promise<Mailer>): Mailer {
  let mailer: Promise<Mailer> | undefined;
  return { send: async (message) => (await (mailer ??= load())).send(message) };
}

/** The transport for a driver (MAIL_DRIVER by default), configured from the settings. */
export function createMailer(settings: Settings, logger: Logger, driver: MailDriver = settings.mail.driver): Mailer {
  const { mail } = settings;
  switch (driver) {
    case 'array':
      return new ArrayMailer();
    case 'log':
      return new LogMailer(logger, { from: mail.from, includeBody: settings.env === 'development' });
    case 'smtp':
      return loadedOnFirstSend(async () => new (await import('./transports.js')).SmtpMailer(mail.from, mail.smtp));
    case 'sendgrid':
      return loadedOnFirstSend(
        async () => new (await import('./transports.js')).SendgridMailer(mail.from, mail.sendgrid),
      );
    case 'mailgun':
      return loadedOnFirstSend(
        async () => new (await import('./transports.js')).MailgunMailer(mail.from, mail.mailgun),
      );
    case 'ses':
      return loadedOnFirstSend(
        async () =>
          new (await importOptional('ses', 'MAIL_DRIVER=ses', () => import('./ses-mailer.js'))).SesMailer(
            mail.from,
            mail.ses,
          ),
      );
  }
}
