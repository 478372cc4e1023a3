// Amazon SES (v2): the message as raw MIME built by nodemailer's composer, so attachments, cc and
// bcc go as they are. Loaded on first use (the AWS SDK is large).
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { addressList, MailError, type Mailer, type MailMessage } from '../message.js';

export interface SesOptions {
  region: string;
  endpoint: string | undefined;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
}

export class SesMailer implements Mailer {
  readonly #client: SESv2Client;

  constructor(
    private readonly from: string,
    options: SesOptions,
  ) {
    this.#client = new SESv2Client({
      region: options.region,
      endpoint: options.endpoint,
      credentials:
        options.accessKeyId && options.secretAccessKey
          ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
          : undefined,
    });
  }

  async send(message: MailMessage): Promise<void> {
    const from = message.from ?? this.from;
    const raw = await new MailComposer({ ...message, from, attachments: message.attachments }).compile().build();
    try {
      await this.#client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: {
            ToAddresses: addressList(message.to),
            CcAddresses: addressList(message.cc),
            BccAddresses: addressList(message.bcc),
          },
          Content: { Raw: { Data: raw } },
        }),
      );
    } catch (error) {
      throw new MailError(`ses refused the message: ${(error as Error).message}`, { cause: error });
    }
  }
}
