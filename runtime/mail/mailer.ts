// The mail abstraction the application sends through. Drivers here: `log` (development: the message
// goes to the log) and `array` (tests: messages are kept for assertions). The Mail facade adds SMTP
// and the API providers behind the same interface.
import type { Logger } from '../utils/logger.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

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
    const line = { mail: { from: this.options.from, to: message.to, subject: message.subject } };
    if (this.options.includeBody) this.logger.info({ ...line, body: message.text }, `mail to ${message.to}: ${message.subject}`);
    else this.logger.info(line, `mail to ${message.to}: ${message.subject} (log driver: not sent)`);
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

  /** The last message sent to an address. */
  lastTo(address: string): MailMessage | undefined {
    return this.sent.filter((message) => message.to === address).at(-1);
  }
}

/** The mailer the settings choose. */
export function createMailer(settings: { mail: { driver: 'log' | 'array'; from: string }; env: string }, logger: Logger): Mailer {
  return settings.mail.driver === 'array' ? new ArrayMailer() : new LogMailer(logger, { from: settings.mail.from, includeBody: settings.env === 'development' });
}
