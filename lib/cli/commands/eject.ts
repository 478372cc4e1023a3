// `fastpy eject <part>` (see lib/eject.ts), and `fastpy eject --list`.
import type { Command } from 'commander';
import { eject, ejectableParts, ejectedParts } from '../../eject.js';
import { findProjectRoot, requireProjectRoot } from '../../project-root.js';
import { UsageError } from '../../questions.js';

export function registerEject(program: Command): void {
  program
    .command('eject')
    .description(
      'make one part of the runtime yours: its source in src/<part>.ts, your imports pointed at it; fastpy update then leaves it alone',
    )
    .argument(
      '[part]',
      'a module of fastpy-runtime, e.g. controllers/resource-controller or middleware/rate-limit (--list: all)',
    )
    .option('--list', 'list the parts (those already ejected marked)')
    .action(async (part: string | undefined, options: { list?: boolean }) => {
      if (options.list) {
        const root = findProjectRoot(process.cwd());
        const ejected = new Set(root ? ejectedParts(root) : []);
        console.log(
          ejectableParts()
            .map((name) => (ejected.has(name) ? `${name}   (ejected: src/${name}.ts)` : name))
            .join('\n'),
        );
        return;
      }
      if (part === undefined) throw new UsageError('eject needs a part: fastpy eject --list lists them', 'E_USAGE');
      const root = requireProjectRoot(process.cwd(), 'fastpy eject');
      const { file, repointed } = await eject(root, part);
      console.log(
        [
          `${part} is yours: ${file}`,
          ...(repointed.length > 0 ? [`imports pointed at it: ${repointed.join(', ')}`] : []),
          "The runtime's own code keeps its part; yours is what your code and fastpy's generators import.",
          'Next: npm run typecheck && npm test',
        ].join('\n'),
      );
    });
}
