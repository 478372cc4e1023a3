// fastpy-runtime/mail: the Mailer interface and its drivers (SMTP, SendGrid, Mailgun and SES load on first send).
export * from './mailer.js';
export type { MailgunOptions, SendgridOptions, SmtpOptions } from './transports.js';
export type { SesOptions } from './ses-mailer.js';
