// A real terminal for the interactive tests: a command runs in a tmux pane (its own tmux server), and
// the test reads the screen and types at it, as a person would: text, Enter, arrows, space.
import { spawnSync } from 'node:child_process';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether tmux is on this machine (the interactive tests need it). */
export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
}

export class Terminal {
  readonly #socket = `fastpy-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly #session = 'wizard';

  /** Starts `command` (a shell command line) in `cwd`; the pane stays after it exits so its last screen and exit code can be read. */
  constructor(command: string, cwd: string, env: Record<string, string> = {}) {
    const exports = Object.entries(env)
      .map(([key, value]) => `export ${key}=${JSON.stringify(value)};`)
      .join(' ');
    const line = `${exports} ${command}; echo "[exit $?]"; sleep 600`;
    this.#tmux('new-session', '-d', '-s', this.#session, '-x', '200', '-y', '60', '-c', cwd, line);
    this.#tmux('set-option', '-t', this.#session, 'history-limit', '5000');
  }

  #tmux(...args: string[]): string {
    const result = spawnSync('tmux', ['-L', this.#socket, ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`tmux ${args[0]} failed: ${result.stderr}`);
    return result.stdout;
  }

  /** Everything the pane shows, scrollback included. */
  screen(): string {
    return this.#tmux('capture-pane', '-p', '-J', '-t', this.#session, '-S', '-5000');
  }

  /** What came after the last line containing `marker`. */
  after(marker: string): string[] {
    const lines = this.screen().split('\n');
    const index = lines.map((line) => line.includes(marker)).lastIndexOf(true);
    return index === -1 ? [] : lines.slice(index);
  }

  /** Waits until the screen matches (a hang fails after `timeoutMs`, with the screen in the message). */
  async waitFor(pattern: RegExp | string, timeoutMs = 30_000): Promise<string> {
    const matches = (text: string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
    for (let waited = 0; waited < timeoutMs; waited += 100) {
      const text = this.screen();
      if (matches(text)) return text;
      await sleep(100);
    }
    throw new Error(`the terminal never showed ${String(pattern)}; it shows:\n${this.screen()}`);
  }

  /** Types text (literally) and, unless told otherwise, Enter. */
  async type(text: string, enter = true): Promise<void> {
    if (text !== '') this.#tmux('send-keys', '-t', this.#session, '-l', text);
    if (enter) this.#tmux('send-keys', '-t', this.#session, 'Enter');
    await sleep(150);
  }

  /** Presses keys by tmux name: Enter, Down, Up, Space, BSpace, C-u. */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.#tmux('send-keys', '-t', this.#session, key);
      await sleep(60);
    }
    await sleep(100);
  }

  /** Clears an input's text (as many backspaces as it could hold). */
  async clear(length = 40): Promise<void> {
    await this.press(...Array.from({ length }, () => 'BSpace'));
  }

  /** The line the cursor (❯) is on, below the question `message`. */
  #cursorLine(message: string): string | undefined {
    return this.after(message).find((line) => line.includes('❯'));
  }

  /** In a list question, moves to the choice containing `label` and presses Enter. */
  async select(message: string, label: string): Promise<void> {
    await this.waitFor(message);
    await this.#moveTo(message, label);
    await this.press('Enter');
  }

  /** In a checkbox question, ticks exactly the choices containing these labels, then presses Enter. */
  async check(message: string, labels: readonly string[]): Promise<void> {
    await this.waitFor(message);
    for (const label of labels) {
      await this.#moveTo(message, label);
      if (!/❯\s*◉/.test(this.#cursorLine(message) ?? '')) await this.press('Space');
    }
    await this.press('Enter');
  }

  async #moveTo(message: string, label: string): Promise<void> {
    for (let tries = 0; tries < 40; tries++) {
      const line = this.#cursorLine(message);
      if (line?.includes(label)) return;
      await this.press('Down');
    }
    throw new Error(`no choice "${label}" under "${message}":\n${this.after(message).join('\n')}`);
  }

  /** Waits for the command to end; returns its exit code and the whole screen. */
  async exit(timeoutMs = 60_000): Promise<{ code: number; screen: string }> {
    const screen = await this.waitFor(/\[exit \d+\]/, timeoutMs);
    return { code: Number(/\[exit (\d+)\]/.exec(screen)![1]), screen };
  }

  close(): void {
    spawnSync('tmux', ['-L', this.#socket, 'kill-server']);
  }
}
