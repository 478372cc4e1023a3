// `fastpy eject <part>` (see lib/eject.ts), and `fastpy eject --list`.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eject, ejectableParts, ejectedParts, partPath } from '../../eject.js';
import { findProjectRoot, requireProjectRoot } from '../../project-root.js';
import { UsageError } from '../../questions.js';

export function registerEject(program: Command): void {
  program
    .command('eject')
    .description(
      'make one part of the runtime yours: its source in src/<part>.ts (a folder: src/<part>/), your imports pointed at it; fastpy update then leaves it alone',
    )
    .argument(
      '[part]',
      'a module of fastpy-runtime, e.g. controllers/resource-controller or middleware/rate-limit, or a facade, e.g. libs/cache (--list: all)',
    )
    .option('--list', 'list the parts (those already ejected marked)')
    .action(async (part: string | undefined, options: { list?: boolean }) => {
      if (options.list) {
        const root = findProjectRoot(process.cwd());
        const ejected = new Set(root ? ejectedParts(root) : []);
        // A file of the project's own where a part would go (src/models/user.ts): that part is the owner's already.
        const note = (name: string) => {
          if (ejected.has(name)) return `   (ejected: ${partPath(name)})`;
          if (root && existsSync(join(root, partPath(name)))) return `   (${partPath(name)} is your own file)`;
          return '';
        };
        console.log(
          ejectableParts()
            .map((name) => name + note(name))
            .join('\n'),
        );
        return;
      }
      if (part === undefined) throw new UsageError('eject needs a part: fastpy eject --list lists them', 'E_USAGE');
      const root = requireProjectRoot(process.cwd(), 'fastpy eject');
      const { file, along, repointed, usedBy } = await eject(root, part);
      console.log(
        [
          `${part} is yours: ${file}`,
          ...along.map(
            (each) => `with ${each.part}, the part of the runtime your project reaches it through: ${each.file}`,
          ),
          ...(repointed.length > 0 ? [`imports pointed at it: ${repointed.join(', ')}`] : []),
          usedBy,
          'Next: npm run typecheck && npm test',
        ].join('\n'),
      );
    });
}
