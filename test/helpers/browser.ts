// Headless Chromium for the browser tests: Debian's chromium package driven by playwright-core (no
// browser download). Where it is missing the browser tests are skipped with a note — unless
// FASTPY_REQUIRE_BROWSER is set (CI sets it, and installs the package), when they fail instead.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.FASTPY_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  Boolean,
) as string[];

/** The Chromium executable, if one is installed. */
export const chromiumPath: string | undefined = CANDIDATES.find((path) => existsSync(path));

/** Whether the browser tests must run (and fail where there is no Chromium). */
export const browserRequired = Boolean(process.env.FASTPY_REQUIRE_BROWSER);

/** Where screenshots are kept (gitignored). */
export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

/** Launches headless Chromium without anything reaching out to the network on its own. */
export function launchChromium(): Promise<Browser> {
  if (!chromiumPath)
    throw new Error(
      `no Chromium found (looked at ${CANDIDATES.join(', ')}): install Debian's chromium package (apt-get install chromium) or set FASTPY_CHROMIUM`,
    );
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
