// The HTTP listener: reads settings (a bad .env stops here with the list of problems), serves the
// app, and on SIGTERM/SIGINT stops accepting, lets in-flight requests finish, closes the pool and exits.
import { createApp } from 'fastpy-runtime';
import { createServicesOrExit } from './bootstrap.js';
import { readSettingsOrExit } from './config/index.js';
import { middleware, stack } from './middleware/index.js';
import { routes } from './routes/index.js';
import { onShutdown } from 'fastpy-runtime/utils';

/** Longest wait for in-flight requests on shutdown before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

const settings = readSettingsOrExit();
const services = createServicesOrExit(settings);
const { logger } = services;
const app = createApp({ ...services, routes, middleware, stack });

const server = app.listen(settings.port, settings.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  logger.info(
    `${settings.appName} (${settings.env}, ${settings.database.driver}) listening on http://${settings.host}:${port}`,
  );
});

server.on('error', (error: NodeJS.ErrnoException) => {
  // One line for the causes a user fixes in .env; the stack only for the unexpected.
  const known: Record<string, string> = {
    EADDRINUSE: `port ${settings.port} is already in use: stop what uses it, or set PORT in .env`,
    EACCES: `port ${settings.port} needs more privileges: use a port above 1023 (PORT in .env)`,
    EADDRNOTAVAIL: `${settings.host} is not an address of this machine: fix HOST in .env`,
  };
  const reason = error.code ? known[error.code] : undefined;
  if (reason) logger.fatal(`cannot listen: ${reason}`);
  else logger.fatal({ err: error }, `cannot listen: ${error.message}`);
  process.exit(1);
});

onShutdown(logger, {
  draining: 'finishing in-flight requests',
  stop: () => {
    // Connections still open after the grace period are cut.
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  },
  close: () => services.close(),
  done: 'shut down cleanly',
});
