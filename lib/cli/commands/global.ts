// Commands that need no project: version, list, doctor (which also checks the project it runs in).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../package.js';
import { findProjectRoot } from '../../project-root.js';
import { NODE_ENGINES } from '../../versions.js';

/** Whether a Node version satisfies an engines range of the form `^a.b.c || ^d.e.f || >=g.h.i`. */
export function satisfiesEngines(version: string, range: string): boolean {
  const [major, minor, patch] = version.replace(/^v/, '').split('.').map(Number) as [number, number, number];
  const at = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  return range.split('||').some((part) => {
    const match = /^\s*(\^|>=)(\d+)\.(\d+)\.(\d+)\s*$/.exec(part);
    if (!match) return false;
    const wanted = [Number(match[2]), Number(match[3]), Number(match[4])];
    const current = [major, minor, patch];
    return match[1] === '>=' ? at(current, wanted) >= 0 : current[0] === wanted[0] && at(current, wanted) >= 0;
  });
}

interface Line {
  ok: boolean;
  label: string;
  fix?: string;
}

const print = (lines: Line[]) =>
  console.log(
    lines
      .map((line) => `${line.ok ? '✓' : '✗'} ${line.label}${line.ok || !line.fix ? '' : `\n    → ${line.fix}`}`)
      .join('\n'),
  );

/** `fastpy doctor`: Node, then (in a project) dependencies, .env, and the project's own checks. */
export function doctor(cwd = process.cwd()): number {
  const lines: Line[] = [];
  const nodeOk = satisfiesEngines(process.version, NODE_ENGINES);
  lines.push({
    ok: nodeOk,
    label: `Node ${process.version} (needs ${NODE_ENGINES})`,
    fix: 'install a supported Node.js (nvm install 22)',
  });
  const root = findProjectRoot(cwd);
  if (!root) {
    lines.push({
      ok: true,
      label: 'not inside a fastpy project: project checks skipped (create one with fastpy new <name>)',
    });
    print(lines);
    return nodeOk ? 0 : 1;
  }
  lines.push({ ok: true, label: `project ${root}` });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const missing = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
    (name) => !existsSync(join(root, 'node_modules', name, 'package.json')),
  );
  lines.push({
    ok: missing.length === 0,
    label:
      missing.length === 0
        ? 'dependencies installed'
        : `dependencies missing: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
    fix: `run npm install in ${root}`,
  });
  const hasEnv = existsSync(join(root, '.env'));
  lines.push({
    ok: hasEnv,
    label: hasEnv ? '.env present' : '.env missing',
    fix: 'cp .env.example .env, then set DATABASE_URL and SECRET_KEY',
  });
  print(lines);
  if (missing.length > 0 || !existsSync(join(root, 'src', 'console.ts'))) return 1;
  // The project checks its settings, database, migrations and Redis itself (src/console.ts doctor).
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/console.ts', 'doctor'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status === 2)
    console.log(
      '✗ settings are invalid (listed above)\n    → fix them in .env (every setting is explained in .env.example)',
    );
  return nodeOk && hasEnv && result.status === 0 ? 0 : 1;
}

export function registerGlobalCommands(program: Command): void {
  program
    .command('version')
    .description('the fastpy version, with Node and the platform')
    .action(() => {
      console.log(
        `fastpy ${PACKAGE_VERSION} (generator-fastpy, ${PACKAGE_ROOT})\nNode ${process.version} on ${process.platform}-${process.arch}`,
      );
    });

  program
    .command('list')
    .description('every command, with what it does')
    .action(() => {
      const commands = program.commands.filter((command) => command.name() !== 'help');
      const width = Math.max(...commands.map((command) => command.name().length));
      console.log(commands.map((command) => `  ${command.name().padEnd(width)}  ${command.description()}`).join('\n'));
    });

  program
    .command('doctor')
    .description('check Node, and in a project its dependencies, .env, database, migrations and Redis')
    .action(() => {
      const code = doctor();
      if (code !== 0) process.exitCode = code;
    });
}
