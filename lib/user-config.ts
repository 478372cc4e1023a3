// The user's fastpy settings (not a project's): which AI provider `fastpy ai` uses, with what model,
// endpoint, timeout and retries. A JSON file, overridden by environment variables; API keys are
// read from the environment only, never stored.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from './questions.js';

export const PROVIDERS = ['anthropic', 'openai', 'google', 'groq', 'ollama'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface AiSettings {
  /** Undefined: no provider, `fastpy ai` plans offline. */
  provider?: ProviderName;
  model?: string;
  /** Another endpoint for the provider's API (an OpenAI-compatible server, a proxy, a local Ollama). */
  baseUrl?: string;
  timeoutMs: number;
  retries: number;
}

export interface UserConfig {
  ai: AiSettings;
}

/** Where each value came from, for `fastpy config`. */
export type Source = 'default' | 'file' | `env ${string}`;

interface Setting {
  key: string;
  env: string;
  description: string;
  parse: (raw: string) => unknown;
}

const integer = (min: number, max: number) => (raw: string) => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`must be a whole number from ${min} to ${max}`);
  return value;
};

/** Every setting: its key in the file, its environment variable, and how a value is checked. */
export const SETTINGS: readonly Setting[] = [
  {
    key: 'ai.provider',
    env: 'FASTPY_AI_PROVIDER',
    description: `the LLM behind \`fastpy ai\`: ${PROVIDERS.join(', ')} (unset: the offline planner)`,
    parse: (raw) => {
      if (raw === '' || raw === 'none' || raw === 'offline') return undefined;
      if (!(PROVIDERS as readonly string[]).includes(raw))
        throw new Error(`"${raw}" is not one of ${PROVIDERS.join(', ')} (or none)`);
      return raw;
    },
  },
  {
    key: 'ai.model',
    env: 'FASTPY_AI_MODEL',
    description: "the provider's model (default: a current one per provider)",
    parse: (raw) => raw || undefined,
  },
  {
    key: 'ai.baseUrl',
    env: 'FASTPY_AI_BASE_URL',
    description: "the provider's API address, for an OpenAI-compatible server, a proxy or a remote Ollama",
    parse: (raw) => {
      if (raw === '') return undefined;
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new Error(`"${raw}" is not a URL`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${raw}" must be an http(s) URL`);
      return raw.replace(/\/+$/, '');
    },
  },
  {
    key: 'ai.timeoutMs',
    env: 'FASTPY_AI_TIMEOUT_MS',
    description: 'how long one request may take, in milliseconds',
    parse: integer(100, 600_000),
  },
  {
    key: 'ai.retries',
    env: 'FASTPY_AI_RETRIES',
    description: 'retries after a 429, a 5xx, a timeout or a dropped connection',
    parse: integer(0, 10),
  },
];

export const DEFAULTS: UserConfig = { ai: { timeoutMs: 60_000, retries: 3 } };

/** The config file: $FASTPY_CONFIG, else $XDG_CONFIG_HOME/fastpy/config.json, else ~/.config/fastpy/config.json. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FASTPY_CONFIG) return env.FASTPY_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'fastpy', 'config.json');
}

function setting(key: string): Setting {
  const found = SETTINGS.find((candidate) => candidate.key === key);
  if (!found)
    throw new UsageError(`unknown setting "${key}"; settings: ${SETTINGS.map((s) => s.key).join(', ')}`, 'E_CONFIG');
  return found;
}

const get = (config: object, key: string): unknown =>
  key.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown> | undefined)?.[part], config);

function put(config: object, key: string, value: unknown): void {
  const parts = key.split('.');
  const last = parts.pop()!;
  let target = config as Record<string, unknown>;
  for (const part of parts) target = (target[part] ??= {}) as Record<string, unknown>;
  if (value === undefined) delete target[last];
  else target[last] = value;
}

/** The file's settings, checked: a bad file is an error naming the file and the setting. */
function readFile(file: string): Partial<Record<string, unknown>> {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `${file} is not valid JSON (${(error as Error).message}); fix it or recreate it with \`fastpy config --init --force\``,
      'E_CONFIG',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError(`${file} must hold a JSON object`, 'E_CONFIG');
  const values: Record<string, unknown> = {};
  for (const [section, entries] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof entries !== 'object' || entries === null)
      throw new UsageError(`${file}: "${section}" must be an object`, 'E_CONFIG');
    for (const [name, raw] of Object.entries(entries as Record<string, unknown>)) {
      const key = `${section}.${name}`;
      const spec = SETTINGS.find((candidate) => candidate.key === key);
      if (!spec)
        throw new UsageError(
          `${file}: unknown setting "${key}"; settings: ${SETTINGS.map((s) => s.key).join(', ')}`,
          'E_CONFIG',
        );
      if (raw === null) continue;
      try {
        values[key] = spec.parse(String(raw));
      } catch (error) {
        throw new UsageError(`${file}: ${key}: ${(error as Error).message}`, 'E_CONFIG');
      }
    }
  }
  return values;
}

/**
 * The settings in force, and where each came from: defaults, then the file, then the environment.
 *
 * @example
 * loadUserConfig().config.ai.provider // 'anthropic' when FASTPY_AI_PROVIDER=anthropic
 */
export function loadUserConfig(env: NodeJS.ProcessEnv = process.env): {
  config: UserConfig;
  sources: Record<string, Source>;
  file: string;
} {
  const file = configPath(env);
  const config = structuredClone(DEFAULTS);
  const sources: Record<string, Source> = {};
  for (const spec of SETTINGS) sources[spec.key] = 'default';
  for (const [key, value] of Object.entries(readFile(file))) {
    put(config, key, value);
    sources[key] = 'file';
  }
  for (const spec of SETTINGS) {
    const raw = env[spec.env];
    if (raw === undefined) continue;
    try {
      put(config, spec.key, spec.parse(raw));
    } catch (error) {
      throw new UsageError(`${spec.env}: ${(error as Error).message}`, 'E_CONFIG');
    }
    sources[spec.key] = `env ${spec.env}`;
  }
  return { config, sources, file };
}

/** Writes the file atomically (a temporary file renamed over it), creating its folder. */
function writeConfig(file: string, values: object): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** `fastpy config --init`: a file with every setting at its default; an existing one is kept unless `force`. */
export function initUserConfig(
  env: NodeJS.ProcessEnv = process.env,
  force = false,
): { file: string; created: boolean } {
  const file = configPath(env);
  if (existsSync(file) && !force) return { file, created: false };
  writeConfig(file, {
    ai: { provider: null, model: null, baseUrl: null, timeoutMs: DEFAULTS.ai.timeoutMs, retries: DEFAULTS.ai.retries },
  });
  return { file, created: true };
}

/**
 * `fastpy config --set key=value`: checks the value, then writes it (an empty value unsets it).
 *
 * @example
 * setUserConfig(['ai.provider=ollama', 'ai.model=llama3.1'])
 */
export function setUserConfig(assignments: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const file = configPath(env);
  readFile(file); // refuses to build on a broken file
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  for (const assignment of assignments) {
    const at = assignment.indexOf('=');
    if (at <= 0) throw new UsageError(`--set takes key=value, got "${assignment}"`, 'E_CONFIG');
    const key = assignment.slice(0, at);
    const raw = assignment.slice(at + 1);
    const spec = setting(key);
    let value: unknown;
    try {
      value = spec.parse(raw);
    } catch (error) {
      throw new UsageError(`${key}: ${(error as Error).message}`, 'E_CONFIG');
    }
    put(current, key, value ?? null);
  }
  writeConfig(file, current);
  return file;
}

/** The value of a setting, for display. */
export function displayValue(config: UserConfig, key: string): string {
  const value = get(config, key);
  return value === undefined ? '(unset)' : String(value);
}
