// Structured JSON logging on pino, with secrets (passwords, tokens, auth headers) redacted.
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Paths pino blanks out wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'password',
  'new_password',
  'current_password',
  'token',
  'access_token',
  'refresh_token',
  'secret',
  '*.password',
  '*.new_password',
  '*.current_password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

/** Whether a package is installed (pino-pretty is a development dependency, absent in production installs). */
function canResolve(specifier: string): boolean {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

export interface LoggerSettings {
  level: LogLevel;
  /** Human-readable lines through pino-pretty (a development dependency). */
  pretty?: boolean;
  name?: string;
}

/**
 * Creates the application logger.
 *
 * @example
 * const logger = createLogger({ level: 'info', name: 'my-api' });
 * logger.info({ userId: 1 }, 'user logged in');
 */
export function createLogger(settings: LoggerSettings, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    name: settings.name,
    level: settings.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (settings.pretty && !destination && canResolve('pino-pretty')) {
    options.transport = { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } };
  }
  return destination ? pino(options, destination) : pino(options);
}
