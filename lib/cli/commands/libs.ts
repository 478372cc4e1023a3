// `fastpy libs [name] [--usage]`: the facades a project imports from '#libs', and their examples
// (lib/cli/libs-usage/<name>.ts — the same files the tests run, so what is printed works).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { PACKAGE_ROOT } from '../../package.js';
import { UsageError } from '../../questions.js';

interface Facade {
  name: string;
  description: string;
  drivers: string;
  settings: string;
}

/** Every facade of DESIGN.md §4, each with its examples in lib/cli/libs-usage/<name>.ts. */
export const FACADES: Facade[] = [
  {
    name: 'Http',
    description: 'HTTP client: verbs, tokens, retries, private-address guard, fakes',
    drivers: 'undici (fetch)',
    settings: 'HTTP_TIMEOUT, HTTP_ALLOW_PRIVATE_NETWORK, HTTP_BASE_URL',
  },
  {
    name: 'Mail',
    description: 'e-mail from ejs templates or HTML, with cc/bcc and attachments',
    drivers: 'smtp, sendgrid, mailgun, ses, log, array',
    settings: 'MAIL_DRIVER, MAIL_FROM, MAIL_VIEWS, SMTP_*, SENDGRID_*, MAILGUN_*, SES_*',
  },
  {
    name: 'Cache',
    description: 'put/get/remember/increment with TTLs and tags',
    drivers: 'memory, file, redis',
    settings: 'CACHE_STORE, CACHE_PATH, CACHE_PREFIX, REDIS_URL',
  },
  {
    name: 'Storage',
    description: 'files on disks: put/get/url/list/copy/move',
    drivers: 'local, memory, s3 (and S3-compatible)',
    settings: 'STORAGE_DISK, STORAGE_ROOT, STORAGE_URL, S3_*',
  },
  {
    name: 'Queue',
    description: 'jobs: push, later, chain, named queues, tries, a worker',
    drivers: 'sync, memory, database, redis (BullMQ)',
    settings: 'QUEUE_DRIVER, QUEUE_WORKER_QUEUES, REDIS_URL',
  },
  {
    name: 'Event',
    description: 'listen/dispatch with wildcards and subscribers',
    drivers: '(in process)',
    settings: '',
  },
  {
    name: 'Notify',
    description: 'notifications by mail, database, Slack, SMS; queued or not',
    drivers: 'mail, database, slack, sms',
    settings: "SLACK_WEBHOOK_URL (and Mail's, Queue's)",
  },
  {
    name: 'Hash',
    description: 'password hashing; check() knows the algorithm',
    drivers: 'bcrypt, argon2, pbkdf2 (sha256)',
    settings: 'HASH_DRIVER, BCRYPT_ROUNDS, ARGON2_*, PBKDF2_ITERATIONS',
  },
  {
    name: 'Crypt',
    description: 'authenticated encryption of strings and JSON values',
    drivers: 'fernet, aes',
    settings: 'APP_KEY, CRYPT_DRIVER',
  },
];

const usageFile = (name: string) => join(PACKAGE_ROOT, 'lib', 'cli', 'libs-usage', `${name.toLowerCase()}.ts`);
export const usagePath = (facade: Facade) => usageFile(facade.name);

export function registerLibs(program: Command): void {
  program
    .command('libs')
    .description("the facades a project imports from '#libs' (Cache, Hash, Crypt, Event, …); --usage for examples")
    .argument('[name]', 'a facade, e.g. cache')
    .option('--usage', "print the facade's examples")
    .action((name: string | undefined, options: { usage?: boolean }) => {
      if (name === undefined) {
        const width = Math.max(...FACADES.map((facade) => facade.name.length));
        const aboutWidth = Math.max(...FACADES.map((facade) => facade.description.length));
        const lines = FACADES.map(
          (facade) => `  ${facade.name.padEnd(width)}  ${facade.description.padEnd(aboutWidth)}  ${facade.drivers}`,
        );
        console.log(
          `import { ${FACADES.map((facade) => facade.name).join(', ')}, Job, Notification } from '#libs';\n\n${lines.join('\n')}\n\nExamples: fastpy libs <name> --usage`,
        );
        return;
      }
      const facade = FACADES.find(
        (candidate) =>
          candidate.name.toLowerCase() === name.toLowerCase() ||
          (name.toLowerCase() === 'job' && candidate.name === 'Queue') ||
          (name.toLowerCase() === 'notification' && candidate.name === 'Notify'),
      );
      if (!facade)
        throw new UsageError(
          `no facade "${name}"; facades: ${FACADES.map((candidate) => candidate.name.toLowerCase()).join(', ')}`,
        );
      const header = `${facade.name}: ${facade.description}\n  drivers: ${facade.drivers}\n  settings (.env): ${facade.settings || 'none'}`;
      console.log(
        options.usage
          ? `${header}\n\n${readFileSync(usageFile(facade.name), 'utf8')}`
          : `${header}\n\nExamples: fastpy libs ${facade.name.toLowerCase()} --usage`,
      );
    });
}
