// A mail message, what every transport (drivers/) does with one, and the error they give when
// one cannot be delivered.
import { FastpyError } from '../../utils/errors.js';

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
