// The Mail facade: messages, the transport MAIL_DRIVER picks, and the drivers (log, array, and
// SMTP, SendGrid, Mailgun and SES, loaded with their first message).
export * from './drivers/array.js';
export * from './drivers/log.js';
export type { MailgunOptions } from './drivers/mailgun.js';
export type { SendgridOptions } from './drivers/sendgrid.js';
export type { SesOptions } from './drivers/ses.js';
export type { SmtpOptions } from './drivers/smtp.js';
export * from './manager.js';
export * from './message.js';
export * from './transport.js';
