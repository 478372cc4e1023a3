// The `fastpy` binary as a user runs it: a child process with no terminal on stdin.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../bin/fastpy.js', import.meta.url).pathname;
const BUILT = new URL('../../lib/cli/main.js', import.meta.url).pathname;

/** Runs `fastpy <args>` in `cwd` (a new temporary directory by default); stdin is /dev/null. */
export function fastpy(
  args: string[],
  cwd = mkdtempSync(join(tmpdir(), 'fastpy-cli-')),
  env: Record<string, string | undefined> = {},
) {
  if (!existsSync(BUILT)) throw new Error('lib/cli/main.js is missing: run `npm run build` first (npm test does)');
  // The timeout only catches a hang (it would otherwise block the suite).
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  return { ...result, cwd };
}

/** A command run without blocking the event loop, for tests that serve something to it in-process. */
export function spawnAsync(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** `fastpy` without blocking the event loop (a fake server in the test process can answer it). */
export function fastpyAsync(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  if (!existsSync(BUILT)) throw new Error('lib/cli/main.js is missing: run `npm run build` first (npm test does)');
  return spawnAsync(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
}
