// The mail transport the application (auth's e-mails) and the Mail facade send through, chosen by
// MAIL_DRIVER: log (development: the message goes to the log), array (tests: kept for assertions),
// smtp (nodemailer), and the sendgrid, mailgun and ses APIs — each of those loaded with its first
// message, so an app that only logs mail never loads them.
import type { MailDriver, Settings } from '../../config/settings.js';
import type { Logger } from '../../utils/logger.js';
import { importOptional } from '../../utils/optional-package.js';
import { ArrayMailer } from './drivers/array.js';
import { LogMailer } from './drivers/log.js';
import type { Mailer } from './message.js';

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
      return loadedOnFirstSend(async () => new (await import('./drivers/smtp.js')).SmtpMailer(mail.from, mail.smtp));
    case 'sendgrid':
      return loadedOnFirstSend(
        async () => new (await import('./drivers/sendgrid.js')).SendgridMailer(mail.from, mail.sendgrid),
      );
    case 'mailgun':
      return loadedOnFirstSend(
        async () => new (await import('./drivers/mailgun.js')).MailgunMailer(mail.from, mail.mailgun),
      );
    case 'ses':
      return loadedOnFirstSend(
        async () =>
          new (await importOptional('ses', 'MAIL_DRIVER=ses', () => import('./drivers/ses.js'))).SesMailer(
            mail.from,
            mail.ses,
          ),
      );
  }
}
