// `fastpy config` (show), `fastpy config --init` / `fastpy init` (create the file),
// `fastpy config --set key=value` (change a setting, checked first).
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { PROVIDER_APIS } from '../../ai/providers.js';
import { displayValue, initUserConfig, loadUserConfig, SETTINGS, setUserConfig } from '../../user-config.js';

function init(force: boolean): void {
  const { file, created } = initUserConfig(process.env, force);
  console.log(
    created
      ? `Created ${file}\nChange a setting with: fastpy config --set ai.provider=anthropic`
      : `${file} exists already (kept; --force to recreate it)`,
  );
}

/** What `fastpy config` prints: the file, every setting with its value and source, and the API keys found. */
export function describeConfig(env: NodeJS.ProcessEnv = process.env): string {
  const { config, sources, file } = loadUserConfig(env);
  const width = Math.max(...SETTINGS.map((setting) => setting.key.length));
  const lines = [`config file: ${file}${existsSync(file) ? '' : ' (none yet: fastpy config --init creates it)'}`, ''];
  for (const setting of SETTINGS)
    lines.push(
      `  ${setting.key.padEnd(width)}  ${displayValue(config, setting.key).padEnd(16)}  ${sources[setting.key]}   ${setting.description}`,
    );
  lines.push('', 'API keys (from the environment only):');
  for (const [name, api] of Object.entries(PROVIDER_APIS)) {
    if (api.keyEnv.length === 0) continue;
    const found = api.keyEnv.find((variable) => env[variable]);
    lines.push(
      `  ${name.padEnd(10)} ${found ? `${found} set (…${env[found]!.slice(-4)})` : `not set (${api.keyEnv.join(' or ')})`}`,
    );
  }
  lines.push(
    '',
    config.ai.provider ? `fastpy ai asks ${config.ai.provider}.` : 'fastpy ai plans offline (no provider set).',
  );
  return lines.join('\n');
}

export function registerConfigCommands(program: Command): void {
  program
    .command('config')
    .description('show your fastpy settings (AI provider, model, endpoint); --init creates the file, --set changes one')
    .option('--init', 'create the config file with every setting at its default')
    .option('--force', 'with --init: replace an existing file')
    .option(
      '--set <key=value>',
      'set a setting, e.g. ai.provider=ollama (repeatable; an empty value unsets it)',
      (value: string, all: string[] = []) => [...all, value],
    )
    .action((options: { init?: boolean; force?: boolean; set?: string[] }) => {
      if (options.init) init(options.force === true);
      if (options.set) console.log(`Saved to ${setUserConfig(options.set)}`);
      if (!options.init && !options.set) console.log(describeConfig());
    });

  program
    .command('init')
    .description('create your fastpy config file (same as fastpy config --init)')
    .option('--force', 'replace an existing file')
    .action((options: { force?: boolean }) => init(options.force === true));
}
