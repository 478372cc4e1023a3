// Mail: messages built fluently — to/cc/bcc/subject, an ejs template from the project's views (or raw
// HTML), attachments — and sent through MAIL_DRIVER's transport (log, array, smtp, sendgrid,
// mailgun, ses) or another one by name; a fake records them for assertions in tests.
import { FastpyError } from '../../utils/errors.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { PROJECT_ROOT } from '../../config/paths.js';
import { MAIL_DRIVERS, type MailDriver } from '../../config/settings.js';
import { recipients, type MailAttachment, type Mailer, type MailMessage } from './message.js';
import { createMailer } from './transport.js';
import { createLogger } from '../../utils/logger.js';
import { libsSettings, onLibsConfigured } from '../config.js';

export class MailAssertionError extends FastpyError {
  constructor(message: string) {
    super('E_MAIL_ASSERTION', message);
  }
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function addresses(value: string | readonly string[], what: string): string[] {
  const list = ([] as string[]).concat(value).map((address) => address.trim());
  if (list.length === 0) throw new TypeError(`Mail.${what}(): give at least one address`);
  for (const address of list)
    if (!EMAIL.test(address)) throw new TypeError(`Mail.${what}(): "${address}" is not an e-mail address`);
  return list;
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };
const decodeEntities = (text: string) =>
  text.replace(/&(nbsp|amp|lt|gt|quot|#39|apos);/g, (_entity, name: string) => ENTITIES[name]!);

/** Text from HTML, for the plain-text part when a template has no .txt.ejs (the head and its title left out). */
const textOf = (html: string) =>
  decodeEntities(
    html
      .replace(/<(head|style|script|title)[\s\S]*?<\/\1>/gi, '')
      .replace(/<br\s*\/?>|<\/(p|div|h[1-6]|li|tr)>/gi, '\n')
      .replace(/<[^>]+>/g, ''),
  )
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

interface Draft {
  to: string[];
  cc: string[];
  bcc: string[];
  from?: string;
  replyTo?: string;
  subject?: string;
  html?: string;
  text?: string;
  attachments: Array<string | MailAttachment>;
}

/** A message being built: every call returns a new one, so a partly built message can be reused. */
export class PendingMail {
  constructor(
    private readonly manager: MailManager,
    private readonly driverName: MailDriver | undefined,
    private readonly draft: Draft = { to: [], cc: [], bcc: [], attachments: [] },
  ) {}

  #with(changes: Partial<Draft>): PendingMail {
    return new PendingMail(this.manager, this.driverName, { ...this.draft, ...changes });
  }

  to(address: string | readonly string[]): PendingMail {
    return this.#with({ to: [...this.draft.to, ...addresses(address, 'to')] });
  }

  cc(address: string | readonly string[]): PendingMail {
    return this.#with({ cc: [...this.draft.cc, ...addresses(address, 'cc')] });
  }

  bcc(address: string | readonly string[]): PendingMail {
    return this.#with({ bcc: [...this.draft.bcc, ...addresses(address, 'bcc')] });
  }

  from(address: string): PendingMail {
    return this.#with({ from: address });
  }

  replyTo(address: string): PendingMail {
    return this.#with({ replyTo: addresses(address, 'replyTo')[0] });
  }

  subject(subject: string): PendingMail {
    return this.#with({ subject });
  }

  /** The HTML body (the text part is derived from it unless text() is given). */
  html(html: string): PendingMail {
    return this.#with({ html });
  }

  text(text: string): PendingMail {
    return this.#with({ text });
  }

  /** A file by path (relative to the project), or { filename, content }. */
  attach(file: string | MailAttachment): PendingMail {
    return this.#with({ attachments: [...this.draft.attachments, file] });
  }

  /**
   * Sends it: with a template name, views/mail/<name>.ejs renders the HTML (and <name>.txt.ejs the
   * text, when there is one) with `data`; without, the html()/text() given.
   */
  async send(template?: string, data: Record<string, unknown> = {}): Promise<MailMessage> {
    const message = await this.build(template, data);
    await this.manager.transport(this.driverName).send(message);
    return message;
  }

  /** The message as it would be sent, rendered, without sending it. */
  async build(template?: string, data: Record<string, unknown> = {}): Promise<MailMessage> {
    const { draft } = this;
    if (draft.to.length === 0) throw new TypeError('Mail: no recipient; call to() first');
    let { html, text } = draft;
    if (template !== undefined) {
      const rendered = await this.manager.render(template, data);
      html = rendered.html;
      text = rendered.text ?? text;
    }
    // subject() first; else the template's (or the HTML's) <title>; else one from the template's name or the app's.
    const subject = draft.subject || titleOf(html) || defaultSubject(template);
    if (html === undefined && text === undefined)
      throw new TypeError('Mail: no body; send a template (send("welcome", data)) or give html() or text()');
    const attachments = await Promise.all(
      draft.attachments.map(async (file) => (typeof file === 'string' ? this.manager.readAttachment(file) : file)),
    );
    return {
      to: draft.to,
      cc: draft.cc.length ? draft.cc : undefined,
      bcc: draft.bcc.length ? draft.bcc : undefined,
      from: draft.from,
      replyTo: draft.replyTo,
      subject,
      html,
      text: text ?? textOf(html!),
      attachments: attachments.length ? attachments : undefined,
    };
  }
}

/** The text of the first <title> of an HTML body, if it has one. */
function titleOf(html: string | undefined): string | undefined {
  const match = html === undefined ? null : /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  return (match && decodeEntities(match[1]!).replace(/\s+/g, ' ').trim()) || undefined;
}

/** A subject when none is given: the template's name in words ("invoice-due" → "Invoice due"), else the app's name. */
function defaultSubject(template: string | undefined): string {
  const words = template?.split('/').at(-1)!.replace(/[-_]+/g, ' ').trim();
  if (words) return words[0]!.toUpperCase() + words.slice(1);
  return `A message from ${libsSettings().appName}`;
}

export class MailManager {
  #transports = new Map<MailDriver, Mailer>();
  #fake: MailMessage[] | undefined;

  constructor() {
    onLibsConfigured(() => this.#transports.clear());
  }

  /** A message sent through another transport: `Mail.driver('sendgrid').to(…)`. */
  driver(name: string): PendingMail {
    if (!(MAIL_DRIVERS as readonly string[]).includes(name))
      throw new TypeError(`Mail.driver(): unknown driver "${name}"; drivers: ${MAIL_DRIVERS.join(', ')}`);
    return new PendingMail(this, name as MailDriver);
  }

  to(address: string | readonly string[]): PendingMail {
    return new PendingMail(this, undefined).to(address);
  }

  /** Sends a message built elsewhere (the app's own e-mails go through here, so Mail.fake() sees them too). */
  sendMessage(message: MailMessage, driver?: MailDriver): Promise<void> {
    return this.transport(driver).send(message);
  }

  /** @internal The transport for a driver (the fake while faked). */
  transport(name: MailDriver | undefined): Mailer {
    if (this.#fake) {
      const sent = this.#fake;
      return { send: async (message) => void sent.push(message) };
    }
    const settings = libsSettings();
    const driver = name ?? settings.mail.driver;
    let transport = this.#transports.get(driver);
    if (!transport) {
      transport = createMailer(
        settings,
        createLogger({ level: settings.logLevel, pretty: settings.logPretty, name: settings.appName }),
        driver,
      );
      this.#transports.set(driver, transport);
    }
    return transport;
  }

  /** @internal Renders views/mail/<name>.ejs (and <name>.txt.ejs). */
  async render(template: string, data: Record<string, unknown>): Promise<{ html: string; text?: string }> {
    if (!/^[\w-]+(\/[\w-]+)*$/.test(template))
      throw new TypeError(`Mail: "${template}" is not a template name (letters, digits, -, _ and / between folders)`);
    const views = libsSettings().mail.views;
    const folder = isAbsolute(views) ? views : join(PROJECT_ROOT, views);
    const file = join(folder, `${template}.ejs`);
    if (!existsSync(file)) throw new TypeError(`Mail: no template "${template}": create ${file}`);
    const { default: ejs } = await import('ejs'); // loaded by the first templated mail
    const html = await ejs.renderFile(file, data, { async: true });
    const textFile = join(folder, `${template}.txt.ejs`);
    return { html, text: existsSync(textFile) ? await ejs.renderFile(textFile, data, { async: true }) : undefined };
  }

  /** @internal An attachment from a path (relative to the project root). */
  async readAttachment(path: string): Promise<MailAttachment> {
    const file = isAbsolute(path) ? path : join(PROJECT_ROOT, path);
    try {
      return { filename: basename(file), content: await readFile(file) };
    } catch {
      throw new TypeError(`Mail.attach(): cannot read ${file}`);
    }
  }

  /** Records messages instead of sending them. */
  fake(): this {
    this.#fake = [];
    return this;
  }

  restore(): void {
    this.#fake = undefined;
  }

  /** Messages sent while faked (those matching the predicate). */
  sent(predicate: (message: MailMessage) => boolean = () => true): MailMessage[] {
    if (!this.#fake) throw new MailAssertionError('Mail.sent(): call Mail.fake() first');
    return this.#fake.filter(predicate);
  }

  /** A message went to this address (to, cc or bcc) — or one passing the predicate was sent. */
  assertSent(match: string | ((message: MailMessage) => boolean)): void {
    const predicate = typeof match === 'string' ? (message: MailMessage) => recipients(message).includes(match) : match;
    if (this.sent(predicate).length === 0)
      throw new MailAssertionError(
        `expected a message ${typeof match === 'string' ? `to ${match}` : 'passing the check'}; sent: ${
          this.sent()
            .map((message) => `"${message.subject}" to ${recipients(message).join(', ')}`)
            .join('; ') || 'nothing'
        }`,
      );
  }

  assertNotSent(match: string | ((message: MailMessage) => boolean)): void {
    const predicate = typeof match === 'string' ? (message: MailMessage) => recipients(message).includes(match) : match;
    const count = this.sent(predicate).length;
    if (count > 0)
      throw new MailAssertionError(
        `expected no message ${typeof match === 'string' ? `to ${match}` : 'passing the check'}; ${count} sent`,
      );
  }

  assertSentCount(count: number): void {
    const sent = this.sent().length;
    if (sent !== count) throw new MailAssertionError(`expected ${count} message(s), ${sent} sent`);
  }

  assertNothingSent(): void {
    this.assertSentCount(0);
  }
}

/**
 * @example
 * await Mail.to('user@example.com').subject('Welcome!').send('welcome', { name: 'John' });
 * await Mail.driver('sendgrid').to('a@example.com').subject('Hi').html('<h1>Hi</h1>').send();
 */
export const Mail = new MailManager();

/** A Mailer (what AuthService takes) that sends through the facade: MAIL_DRIVER's transport, seen by Mail.fake(). */
export const facadeMailer: Mailer = { send: (message) => Mail.sendMessage(message) };
