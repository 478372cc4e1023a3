// `fastpy docs [topic]`: the documentation, offline — the guide that ships with fastpy, a topic of
// it printed in the terminal, and (in a project) where the project's own API docs are served.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { PACKAGE_ROOT } from '../../package.js';
import { findProjectRoot } from '../../project-root.js';
import { UsageError } from '../../questions.js';
import { dependsOnRuntime } from '../../runtime-imports.js';

/** Topics: each a section of the README (by the start of its heading). */
export const TOPICS: Record<string, { heading: string; about: string }> = {
  start: { heading: '## Quick start', about: 'install, create a project, run it' },
  new: { heading: '## The wizard', about: 'fastpy new / yo fastpy: the questions and their options' },
  resources: {
    heading: '## Resources',
    about: 'make:resource, the field language (types and rules), the generated routes',
  },
  commands: { heading: '## Project commands', about: 'db:*, route:list, serve, doctor, make:*, stubs:publish' },
  ai: {
    heading: '## `fastpy ai',
    about: 'plans from prose: the checks, the offline planner, the providers and their keys',
  },
  global: { heading: '## Anywhere', about: 'config, init, upgrade, docs, version, list' },
  project: {
    heading: '## What a generated project has',
    about: 'the layout, settings, auth, envelopes, health checks',
  },
};
const ALIASES: Record<string, string> = {
  fields: 'resources',
  field: 'resources',
  resource: 'resources',
  wizard: 'new',
  install: 'start',
  quickstart: 'start',
  cli: 'commands',
  config: 'global',
  upgrade: 'global',
  providers: 'ai',
};

const README = join(PACKAGE_ROOT, 'README.md');

/** A README section, from its heading to the next heading of the same level. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(heading));
  if (start === -1) throw new Error(`README.md has no section "${heading}"`);
  const level = /^#+/.exec(heading)![0].length;
  const end = lines.findIndex((line, index) => index > start && new RegExp(`^#{1,${level}} `).test(line));
  return lines
    .slice(start, end === -1 ? undefined : end)
    .join('\n')
    .trimEnd();
}

/** Where the project serves its OpenAPI document (from its .env: PORT, DOCS_ENABLED), if it has one. */
function projectDocs(root: string): string | undefined {
  // The docs routes: in the fastpy-runtime package, or (projects made before 0.2) copied into src/.
  if (!dependsOnRuntime(root) && !existsSync(join(root, 'src', 'routes', 'openapi.ts'))) return undefined;
  const env = existsSync(join(root, '.env')) ? readFileSync(join(root, '.env'), 'utf8') : '';
  const value = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(env)?.[1]?.trim();
  const port = value('PORT') ?? '8000';
  return value('DOCS_ENABLED') === 'false'
    ? `this project's OpenAPI document is turned off (DOCS_ENABLED=false in ${join(root, '.env')})`
    : `this project's API docs, with the server running (fastpy serve): http://localhost:${port}/docs (the OpenAPI document: /openapi.json)`;
}

export function registerDocs(program: Command): void {
  program
    .command('docs')
    .description('the documentation: list the topics, print one, or --open the guide')
    .argument('[topic]', Object.keys(TOPICS).join(', '))
    .option('--open', 'open the guide (README.md) with the system viewer')
    .action((topic: string | undefined, options: { open?: boolean }) => {
      if (topic !== undefined) {
        const key = TOPICS[topic] ? topic : ALIASES[topic];
        if (!key)
          throw new UsageError(`no docs topic "${topic}"; topics: ${Object.keys(TOPICS).join(', ')}`, 'E_USAGE');
        console.log(section(readFileSync(README, 'utf8'), TOPICS[key]!.heading));
        return;
      }
      if (options.open) {
        const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
        const child = spawn(opener, [README], { stdio: 'ignore', detached: true });
        child.on('error', () => console.error(`fastpy: could not run ${opener}; the guide is at ${README}`));
        child.unref();
      }
      const width = Math.max(...Object.keys(TOPICS).map((name) => name.length));
      const lines = [
        `The guide: ${README}`,
        '',
        'Topics (fastpy docs <topic>):',
        ...Object.entries(TOPICS).map(([name, { about }]) => `  ${name.padEnd(width)}  ${about}`),
      ];
      lines.push('', 'Every command: fastpy list, and fastpy <command> --help.');
      const root = findProjectRoot(process.cwd());
      const served = root ? projectDocs(root) : undefined;
      if (served) lines.push(`In ${root}: ${served}`);
      console.log(lines.join('\n'));
    });
}
