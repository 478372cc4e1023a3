// How a process (the HTTP server, the queue worker) stops on SIGTERM or SIGINT: once, whatever
// number of signals arrive; stop taking work and finish what is in hand; close the connections;
// flush the log; exit 0 — or 1, with the reason logged, when a step fails.
import type { Logger } from './logger.js';

export interface ShutdownSteps {
  /** Logged when the signal arrives, after "SIGTERM received: ". */
  draining: string;
  /** Stops taking new work and finishes the work in hand. */
  stop: () => Promise<void>;
  /** Closes the connections (database pool, Redis, …). */
  close: () => Promise<void>;
  /** Logged once everything is closed. */
  done: string;
  /** Ends the process (tests pass their own). */
  exit?: (code: number) => void;
}

/**
 * Runs `steps` on the first SIGTERM or SIGINT; returns the shutdown itself (to call it directly).
 *
 * @example
 * onShutdown(logger, {
 *   draining: 'finishing in-flight requests',
 *   stop: () => new Promise((resolve) => server.close(() => resolve())),
 *   close: () => services.close(),
 *   done: 'shut down cleanly',
 * });
 */
export function onShutdown(
  logger: Logger,
  steps: ShutdownSteps,
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): (signal: string) => Promise<void> {
  const exit = steps.exit ?? ((code: number) => process.exit(code));
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) =>
    (stopping ??= (async () => {
      logger.info(`${signal} received: ${steps.draining}`);
      let code = 0;
      try {
        await steps.stop();
        await steps.close();
        logger.info(steps.done);
      } catch (error) {
        code = 1;
        logger.error({ err: error }, `could not shut down cleanly: ${(error as Error).message}`);
      }
      logger.flush();
      exit(code);
    })());
  for (const signal of signals) process.on(signal, () => void shutdown(signal));
  return shutdown;
}
