// The array driver (tests): messages kept in memory for assertions.
import { recipients, type Mailer, type MailMessage } from '../message.js';

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
