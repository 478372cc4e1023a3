// `fastpy update [--check] [--skip-install]`: the project takes this fastpy's fastpy-runtime (see
// lib/runtime-update.ts), then npm install.
import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { requireProjectRoot } from '../../project-root.js';
import { UsageError } from '../../questions.js';
import { applyUpdate, planUpdate, type UpdatePlan } from '../../runtime-update.js';

/** The plan in lines: what changes, then the CHANGELOG entries in between. */
function describe(plan: UpdatePlan): string[] {
  const heading =
    plan.from === plan.to ? `fastpy-runtime ${plan.to} (rebuilt)` : `fastpy-runtime ${plan.from} → ${plan.to}`;
  return [
    heading,
    `  package.json      ${plan.dependency}`,
    ...plan.replaced.map((file) => `  remove            ${file}`),
    ...plan.migrations.map((file) => `  create            ${file}   (the framework's new migration)`),
    ...plan.ejected.map((file) => `  not updated       ${file}   (ejected: yours, as you have it)`),
    ...(plan.changelog.length > 0
      ? ['', 'What changed (CHANGELOG.md):', '', ...plan.changelog.flatMap((section) => [section, ''])]
      : []),
  ];
}

export function registerUpdate(program: Command): void {
  program
    .command('update')
    .description(
      "move the project to this fastpy's runtime (fastpy-runtime): its tarball, package.json, the framework's new migrations, then npm install",
    )
    .option('--check', 'say what would change, change nothing')
    .option('--skip-install', 'do not run npm install')
    .action((options: { check?: boolean; skipInstall?: boolean }) => {
      const root = requireProjectRoot(process.cwd(), 'fastpy update');
      const plan = planUpdate(root);
      if (!plan.changes) {
        console.log(`fastpy-runtime ${plan.to} is what this project has: nothing to update`);
        return;
      }
      console.log(describe(plan).join('\n').trimEnd());
      if (options.check) {
        console.log('\n--check: nothing was changed. Run fastpy update to apply it.');
        return;
      }
      applyUpdate(root, plan);
      const next = [...(plan.migrations.length > 0 ? ['npm run migrate'] : []), 'npm test'];
      if (options.skipInstall) {
        console.log(`\nUpdated. Next: npm install, ${next.join(', ')}`);
        return;
      }
      const install = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
      if (install.status !== 0)
        throw new UsageError(
          `npm install failed: the project points at fastpy-runtime ${plan.to} already; run npm install again in ${root}`,
          'E_INSTALL',
        );
      console.log(`\nUpdated to fastpy-runtime ${plan.to}. Next: ${next.join(', ')}`);
    });
}
