// Application settings read from the environment (.env), checked all at once at boot: a bad value
// stops the process with the list of every problem, and production refuses a weak SECRET_KEY.
import { FastpyError } from '../utils/errors.js';
import { DRIVERS, driverOfUrl, redactUrl, type Driver } from '../database/dialects.js';
import { LOG_LEVELS, type LogLevel } from '../utils/logger.js';

export const ENVIRONMENTS = ['development', 'test', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface Settings {
  appName: string;
  appVersion: string;
  env: Environment;
  host: string;
  port: number;
  database: { driver: Driver; url: string; pool: { min: number; max: number }; acquireTimeoutMs: number };
  /** Public base URL of the API; links in e-mails point at FRONTEND_URL, which defaults to it. */
  appUrl: string;
  /** The app that shows the e-mails' verify and reset pages; without one, the links go to the API's own pages. */
  frontendUrl: string | undefined;
  secretKey: string;
  accessTokenExpireMinutes: number;
  refreshTokenExpireDays: number;
  auth: {
    bcryptRounds: number;
    passwordMinLength: number;
    loginMaxAttempts: number;
    loginLockoutMinutes: number;
    passwordResetExpireMinutes: number;
    emailVerificationExpireHours: number;
  };
  mail: {
    driver: MailDriver;
    from: string;
    /** Where the Mail facade's templates are (<name>.ejs, and <name>.txt.ejs for the text part). */
    views: string;
    smtp: { host: string; port: number; secure: boolean; user: string | undefined; password: string | undefined };
    sendgrid: { apiKey: string | undefined; baseUrl: string; timeoutMs: number };
    mailgun: { apiKey: string | undefined; domain: string | undefined; baseUrl: string; timeoutMs: number };
    ses: {
      region: string;
      endpoint: string | undefined;
      accessKeyId: string | undefined;
      secretAccessKey: string | undefined;
    };
  };
  corsOrigins: string[];
  rateLimit: {
    enabled: boolean;
    requests: number;
    windowSeconds: number;
    store: 'memory' | 'redis';
    failOpen: boolean;
  };
  redisUrl: string | undefined;
  logLevel: LogLevel;
  logPretty: boolean;
  slowRequestMs: number;
  docsEnabled: boolean;
  trustProxy: boolean;
  bodyLimit: string;
  /** Request bodies nested deeper than this are a 400 (BODY_MAX_DEPTH). */
  bodyMaxDepth: number;
  /** Where uploaded files are kept (relative paths are from the project root). */
  storageRoot: string;
  uploadMaxBytes: number;
  /** The facades (#libs): their default drivers and options. */
  hash: {
    driver: HashDriverName;
    argon2: { memoryCost: number; timeCost: number; parallelism: number };
    pbkdf2Iterations: number;
  };
  crypt: { driver: 'fernet' | 'aes'; key: string | undefined };
  cache: { store: 'memory' | 'file' | 'redis'; path: string; prefix: string };
  http: { timeoutSeconds: number; allowPrivateNetwork: boolean; baseUrl: string | undefined };
  /** The Notify facade: the Slack webhook its slack channel posts to. */
  notify: { slackWebhookUrl: string | undefined };
  /** The Queue facade: its driver, and the queues `npm run worker` works on. */
  queue: { driver: 'sync' | 'memory' | 'database' | 'redis'; workerQueues: string[] };
  /** Storage disks: the default, the local disk's public URL, and S3 (or an S3-compatible store). */
  storage: {
    disk: 'local' | 'memory' | 's3';
    url: string;
    s3: {
      bucket: string | undefined;
      region: string;
      endpoint: string | undefined;
      accessKeyId: string | undefined;
      secretAccessKey: string | undefined;
      forcePathStyle: boolean;
      publicUrl: string | undefined;
      prefix: string;
    };
  };
}

export const MAIL_DRIVERS = ['log', 'array', 'smtp', 'sendgrid', 'mailgun', 'ses'] as const;
export type MailDriver = (typeof MAIL_DRIVERS)[number];

export const HASH_DRIVERS = ['bcrypt', 'argon2', 'pbkdf2'] as const;
export type HashDriverName = (typeof HASH_DRIVERS)[number];

/** A SECRET_KEY shorter than this is refused in production. */
export const MIN_SECRET_LENGTH = 32;

/** Placeholders that must never sign production tokens. */
const KNOWN_WEAK_SECRETS = new Set([
  'secret',
  'changeme',
  'change-me',
  'change-me-in-production',
  'your-secret-key',
  'your-secret-key-here',
  'development-secret-key-change-me-please-0000',
]);

/** The secret used in development and tests when SECRET_KEY is unset. */
export const DEVELOPMENT_SECRET = 'development-secret-key-change-me-please-0000';

export class SettingsError extends FastpyError {
  constructor(readonly problems: string[]) {
    super(
      'E_SETTINGS',
      `Invalid settings (fix .env or the environment):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
}

type Env = Record<string, string | undefined>;

/** Reads values from the environment, recording a problem for each bad one instead of stopping at the first. */
class Reader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got "${this.raw(name)}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T, transform = (value: string) => value): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const normalised = transform(value);
    if (!(allowed as readonly string[]).includes(normalised)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return normalised as T;
  }
}

function readDatabase(reader: Reader, fallbackUrl: string): Settings['database'] {
  const url = reader.string('DATABASE_URL', fallbackUrl);
  let driver: Driver = 'sqlite';
  try {
    driver = driverOfUrl(url);
  } catch (error) {
    reader.problems.push((error as Error).message);
  }
  const declared = reader.oneOf('DB_DRIVER', DRIVERS, driver, (value) =>
    value.toLowerCase() === 'postgres' ? 'postgresql' : value.toLowerCase(),
  );
  if (declared !== driver) {
    reader.problems.push(`DB_DRIVER is "${declared}" but DATABASE_URL (${redactUrl(url)}) is a ${driver} URL`);
  }
  const min = reader.integer('DB_POOL_MIN', 0, 0, 100);
  const max = reader.integer('DB_POOL_MAX', 10, 1, 100);
  if (min > max) reader.problems.push(`DB_POOL_MIN (${min}) must not exceed DB_POOL_MAX (${max})`);
  return {
    driver,
    url,
    pool: { min, max },
    acquireTimeoutMs: reader.integer('DB_ACQUIRE_TIMEOUT_MS', 10_000, 100, 600_000),
  };
}

function readSecret(reader: Reader, env: Environment): string {
  const secret = reader.raw('SECRET_KEY');
  if (env !== 'production') return secret ?? DEVELOPMENT_SECRET;
  if (secret === undefined)
    reader.problems.push(
      'SECRET_KEY is required in production (generate one: node -e "console.log(crypto.randomBytes(48).toString(\'base64url\'))")',
    );
  else if (KNOWN_WEAK_SECRETS.has(secret.toLowerCase()))
    reader.problems.push('SECRET_KEY is a placeholder value; set a random secret in production');
  else if (secret.length < MIN_SECRET_LENGTH)
    reader.problems.push(
      `SECRET_KEY must be at least ${MIN_SECRET_LENGTH} characters in production (got ${secret.length})`,
    );
  else if (new Set(secret).size < 10)
    reader.problems.push('SECRET_KEY is too repetitive to be a secret; set a random secret in production');
  return secret ?? '';
}

export interface SettingsDefaults {
  appName?: string;
  appVersion?: string;
  databaseUrl?: string;
}

/**
 * Reads and checks every setting; throws a `SettingsError` listing all problems found.
 *
 * @example
 * const settings = loadSettings(process.env, { appName: 'my-api' });
 * settings.database.driver // 'sqlite'
 */
export function loadSettings(env: Env, defaults: SettingsDefaults = {}): Settings {
  const reader = new Reader(env);
  const environment = reader.oneOf('NODE_ENV', ENVIRONMENTS, 'development', (value) => value.toLowerCase());
  const database = readDatabase(reader, defaults.databaseUrl ?? 'sqlite:./data/app.db');
  const secretKey = readSecret(reader, environment);
  const rateLimit = {
    enabled: reader.boolean('RATE_LIMIT_ENABLED', true),
    requests: reader.integer('RATE_LIMIT_REQUESTS', 100, 1, 1_000_000),
    windowSeconds: reader.integer('RATE_LIMIT_WINDOW', 60, 1, 86_400),
    store: reader.oneOf('RATE_LIMIT_STORE', ['memory', 'redis'] as const, 'memory', (value) => value.toLowerCase()),
    failOpen: reader.boolean('RATE_LIMIT_FAIL_OPEN', true),
  };
  const redisUrl = reader.raw('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl))
    reader.problems.push(`REDIS_URL must start with redis:// or rediss:// (got "${redactUrl(redisUrl)}")`);
  if (rateLimit.enabled && rateLimit.store === 'redis' && redisUrl === undefined)
    reader.problems.push('RATE_LIMIT_STORE is redis but REDIS_URL is not set');
  const host = reader.string('HOST', '127.0.0.1');
  const port = reader.integer('PORT', 8000, 0, 65_535);
  const appUrl = reader.string('APP_URL', `http://${host}:${port}`).replace(/\/+$/, '');
  const frontendUrl = reader.raw('FRONTEND_URL')?.trim().replace(/\/+$/, '') || undefined;
  for (const [name, url] of [
    ['APP_URL', appUrl],
    ['FRONTEND_URL', frontendUrl],
  ] as const) {
    if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url))
      reader.problems.push(`${name} must be an http(s) URL (got "${url}")`);
  }
  const corsOrigins = (reader.raw('CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin))
      reader.problems.push(`CORS_ORIGINS entry "${origin}" must be * or an origin like https://app.example.com`);
  }

  const settings: Settings = {
    appName: reader.string('APP_NAME', defaults.appName ?? 'fastpy-app'),
    appVersion: reader.string('APP_VERSION', defaults.appVersion ?? '0.1.0'),
    env: environment,
    host,
    port,
    database,
    appUrl,
    frontendUrl,
    secretKey,
    accessTokenExpireMinutes: reader.integer('ACCESS_TOKEN_EXPIRE_MINUTES', 30, 1, 10_080),
    refreshTokenExpireDays: reader.integer('REFRESH_TOKEN_EXPIRE_DAYS', 7, 1, 365),
    auth: {
      // bcrypt's cost: 2^rounds iterations; 4 is its minimum (tests), 12 a sound production value.
      bcryptRounds: reader.integer('BCRYPT_ROUNDS', 12, 4, 16),
      passwordMinLength: reader.integer('PASSWORD_MIN_LENGTH', 8, 6, 72),
      loginMaxAttempts: reader.integer('LOGIN_MAX_ATTEMPTS', 5, 1, 1000),
      loginLockoutMinutes: reader.integer('LOGIN_LOCKOUT_MINUTES', 15, 1, 1440),
      passwordResetExpireMinutes: reader.integer('PASSWORD_RESET_EXPIRE_MINUTES', 60, 5, 1440),
      emailVerificationExpireHours: reader.integer('EMAIL_VERIFICATION_EXPIRE_HOURS', 48, 1, 720),
    },
    mail: {
      driver: reader.oneOf('MAIL_DRIVER', MAIL_DRIVERS, environment === 'test' ? 'array' : 'log', (value) =>
        value.toLowerCase(),
      ),
      from: reader.string('MAIL_FROM', 'no-reply@example.com'),
      views: reader.string('MAIL_VIEWS', 'views/mail'),
      smtp: {
        host: reader.string('SMTP_HOST', '127.0.0.1'),
        port: reader.integer('SMTP_PORT', 587, 1, 65_535),
        secure: reader.boolean('SMTP_SECURE', false),
        user: reader.raw('SMTP_USER'),
        password: reader.raw('SMTP_PASSWORD'),
      },
      sendgrid: {
        apiKey: reader.raw('SENDGRID_API_KEY'),
        baseUrl: reader.string('SENDGRID_BASE_URL', 'https://api.sendgrid.com').replace(/\/+$/, ''),
        timeoutMs: 30_000,
      },
      mailgun: {
        apiKey: reader.raw('MAILGUN_API_KEY'),
        domain: reader.raw('MAILGUN_DOMAIN'),
        baseUrl: reader.string('MAILGUN_BASE_URL', 'https://api.mailgun.net').replace(/\/+$/, ''),
        timeoutMs: 30_000,
      },
      ses: {
        region: reader.string('SES_REGION', 'us-east-1'),
        endpoint: reader.raw('SES_ENDPOINT'),
        accessKeyId: reader.raw('SES_ACCESS_KEY_ID'),
        secretAccessKey: reader.raw('SES_SECRET_ACCESS_KEY'),
      },
    },
    corsOrigins,
    rateLimit,
    redisUrl,
    logLevel: reader.oneOf('LOG_LEVEL', LOG_LEVELS, environment === 'test' ? 'silent' : 'info', (value) =>
      value.toLowerCase(),
    ),
    logPretty: reader.boolean('LOG_PRETTY', false),
    slowRequestMs: reader.integer('SLOW_REQUEST_MS', 1000, 1, 600_000),
    docsEnabled: reader.boolean('DOCS_ENABLED', environment !== 'production'),
    trustProxy: reader.boolean('TRUST_PROXY', false),
    bodyLimit: reader.string('BODY_LIMIT', '1mb'),
    bodyMaxDepth: reader.integer('BODY_MAX_DEPTH', 64, 1, 10_000),
    storageRoot: reader.string('STORAGE_ROOT', 'storage'),
    uploadMaxBytes: reader.integer('UPLOAD_MAX_BYTES', 10 * 1024 * 1024, 1, 1024 * 1024 * 1024),
    hash: {
      driver: reader.oneOf('HASH_DRIVER', HASH_DRIVERS, 'bcrypt', (value) =>
        value.toLowerCase() === 'sha256' || value.toLowerCase() === 'pbkdf2-sha256' ? 'pbkdf2' : value.toLowerCase(),
      ),
      // OWASP's 2023 minimums: argon2id 19 MiB / 2 passes would do; these are its stronger defaults.
      argon2: {
        memoryCost: reader.integer('ARGON2_MEMORY_KIB', 65_536, 1024, 4_194_304),
        timeCost: reader.integer('ARGON2_TIME_COST', 3, 1, 100),
        parallelism: reader.integer('ARGON2_PARALLELISM', 4, 1, 64),
      },
      pbkdf2Iterations: reader.integer('PBKDF2_ITERATIONS', 600_000, 1000, 100_000_000),
    },
    crypt: {
      driver: reader.oneOf('CRYPT_DRIVER', ['fernet', 'aes'] as const, 'fernet', (value) => value.toLowerCase()),
      key: reader.raw('APP_KEY'),
    },
    cache: {
      store: reader.oneOf('CACHE_STORE', ['memory', 'file', 'redis'] as const, 'memory', (value) =>
        value.toLowerCase(),
      ),
      path: reader.string('CACHE_PATH', 'storage/cache'),
      prefix: reader.string('CACHE_PREFIX', `${reader.string('APP_NAME', defaults.appName ?? 'fastpy-app')}:cache:`),
    },
    storage: {
      disk: reader.oneOf('STORAGE_DISK', ['local', 'memory', 's3'] as const, 'local', (value) => value.toLowerCase()),
      url: reader.string('STORAGE_URL', `${appUrl}/storage`).replace(/\/+$/, ''),
      s3: {
        bucket: reader.raw('S3_BUCKET'),
        region: reader.string('S3_REGION', 'us-east-1'),
        endpoint: reader.raw('S3_ENDPOINT'),
        // Unset: the AWS SDK's own credential chain (AWS_ACCESS_KEY_ID…, an instance role).
        accessKeyId: reader.raw('S3_ACCESS_KEY_ID'),
        secretAccessKey: reader.raw('S3_SECRET_ACCESS_KEY'),
        forcePathStyle: reader.boolean('S3_FORCE_PATH_STYLE', reader.raw('S3_ENDPOINT') !== undefined),
        publicUrl: reader.raw('S3_URL'),
        prefix: reader.string('S3_PREFIX', ''),
      },
    },
    notify: { slackWebhookUrl: reader.raw('SLACK_WEBHOOK_URL') },
    queue: {
      driver: reader.oneOf(
        'QUEUE_DRIVER',
        ['sync', 'memory', 'database', 'redis'] as const,
        environment === 'test' ? 'sync' : 'database',
        (value) => value.toLowerCase(),
      ),
      workerQueues: reader
        .string('QUEUE_WORKER_QUEUES', 'default')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    },
    http: {
      timeoutSeconds: reader.integer('HTTP_TIMEOUT', 30, 1, 3600),
      allowPrivateNetwork: reader.boolean('HTTP_ALLOW_PRIVATE_NETWORK', false),
      baseUrl: reader.raw('HTTP_BASE_URL')?.trim() || undefined,
    },
  };
  if (settings.http.baseUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(settings.http.baseUrl))
    reader.problems.push(`HTTP_BASE_URL must be an http(s) URL (got "${settings.http.baseUrl}")`);
  if (settings.crypt.key !== undefined && !/^[A-Za-z0-9_-]{43}=?$/.test(settings.crypt.key))
    reader.problems.push(
      'APP_KEY must be 32 bytes in URL-safe base64 (44 characters; make one with: node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))")',
    );
  const mail = settings.mail;
  if (mail.driver === 'sendgrid' && !mail.sendgrid.apiKey)
    reader.problems.push('MAIL_DRIVER is sendgrid but SENDGRID_API_KEY is not set');
  if (mail.driver === 'mailgun' && (!mail.mailgun.apiKey || !mail.mailgun.domain))
    reader.problems.push('MAIL_DRIVER is mailgun but MAILGUN_API_KEY and MAILGUN_DOMAIN are not both set');
  if (mail.driver === 'smtp' && reader.raw('SMTP_HOST') === undefined)
    reader.problems.push('MAIL_DRIVER is smtp but SMTP_HOST is not set');
  if (settings.storage.disk === 's3' && settings.storage.s3.bucket === undefined)
    reader.problems.push('STORAGE_DISK is s3 but S3_BUCKET is not set');
  for (const [name, url] of [
    ['SLACK_WEBHOOK_URL', settings.notify.slackWebhookUrl],
    ['S3_ENDPOINT', settings.storage.s3.endpoint],
    ['S3_URL', settings.storage.s3.publicUrl],
    ['STORAGE_URL', settings.storage.url],
  ] as const) {
    if (url !== undefined && !/^(https?:\/\/[^\s/]+|\/)/.test(url))
      reader.problems.push(`${name} must be an http(s) URL (got "${url}")`);
  }
  if (settings.queue.driver === 'redis' && redisUrl === undefined)
    reader.problems.push('QUEUE_DRIVER is redis but REDIS_URL is not set');
  for (const name of settings.queue.workerQueues)
    if (!/^[\w.-]+$/.test(name))
      reader.problems.push(`QUEUE_WORKER_QUEUES: "${name}" is not a queue name (letters, digits, _, . and -)`);
  if (settings.cache.store === 'redis' && redisUrl === undefined)
    reader.problems.push('CACHE_STORE is redis but REDIS_URL is not set');
  if (!/^\d+(\.\d+)?\s*(b|kb|mb)$/i.test(settings.bodyLimit))
    reader.problems.push(`BODY_LIMIT must be a size like 100kb or 1mb (got "${settings.bodyLimit}")`);
  if (reader.problems.length > 0) throw new SettingsError(reader.problems);
  return settings;
}
