// `fastpy ai "<prose>" [-e] [-d]`: a plan of fastpy commands from a description — by the configured
// LLM provider, or offline — checked (lib/ai/plan.ts), printed, and run step by step.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Command } from 'commander';
import { planOffline } from '../../ai/offline.js';
import { formatPlan, parsePlanReply, PlanError, validatePlan, type PlanStep, type ValidStep } from '../../ai/plan.js';
import { systemPrompt } from '../../ai/prompt.js';
import { ask, resolveProvider } from '../../ai/providers.js';
import { PACKAGE_ROOT } from '../../package.js';
import { projectResources, requireProjectRoot } from '../../project-root.js';
import { UsageError } from '../../questions.js';
import { confirm } from '../terminal.js';
import { loadUserConfig, PROVIDERS, type ProviderName } from '../../user-config.js';

interface AiOptions {
  execute?: boolean;
  dryRun?: boolean;
  provider?: string;
  model?: string;
  offline?: boolean;
}

/** Runs the steps in order, each as its own `fastpy` process; stops at the first that fails. */
function run(steps: readonly ValidStep[], root: string): number {
  const bin = join(PACKAGE_ROOT, 'bin', 'fastpy.js');
  for (const [index, step] of steps.entries()) {
    console.log(`\n[${index + 1}/${steps.length}] ${step.command}`);
    // Generators take their defaults instead of asking: the plan is the answer.
    const args =
      step.args[0]!.startsWith('make:') && !step.args.includes('--yes') && !step.args.includes('-y')
        ? [...step.args, '--yes']
        : step.args;
    const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(
        `\nfastpy: step ${index + 1} failed (${result.signal ?? `exit ${result.status}`}): ${step.command}`,
      );
      console.error(
        index === 0
          ? 'Nothing else ran.'
          : `Steps 1–${index} ran; the rest did not. Fix the cause and run the remaining commands yourself.`,
      );
      return 1;
    }
  }
  console.log(`\nDone: ${steps.length} step${steps.length === 1 ? '' : 's'}.`);
  return 0;
}

export function registerAi(program: Command, createProgram: () => Command): void {
  program
    .command('ai')
    .description(
      'turn a description into a plan of fastpy commands (an LLM, or the offline planner), show it, and run it',
    )
    .argument('<prose...>', 'what to build, e.g. "a blog with posts, categories and comments"')
    .option('-e, --execute', 'run the plan without asking')
    .option('-d, --dry-run', 'show the plan only; run nothing')
    .option('--provider <name>', `${PROVIDERS.join(', ')} (default: fastpy config's ai.provider)`)
    .option('--model <name>', "the provider's model")
    .option('--offline', 'plan without a model, even when a provider is configured')
    .addHelpText(
      'after',
      '\nExamples:\n  fastpy ai "Create a blog with posts, categories and comments"\n  fastpy ai "Add comments to posts" -e\n  fastpy ai "A shop with products and orders for signed-in users" --provider ollama -d',
    )
    .action(async (words: string[], options: AiOptions) => {
      const prose = words.join(' ').trim();
      if (prose === '') throw new UsageError('say what to build, e.g. fastpy ai "a blog with posts and comments"');
      const root = requireProjectRoot(process.cwd(), 'fastpy ai');
      const project = projectResources(root);
      const { config } = loadUserConfig();
      if (options.provider !== undefined && !(PROVIDERS as readonly string[]).includes(options.provider)) {
        throw new UsageError(`--provider: "${options.provider}" is not one of ${PROVIDERS.join(', ')}`);
      }
      const providerName = options.offline
        ? undefined
        : ((options.provider as ProviderName | undefined) ?? config.ai.provider);

      let steps: PlanStep[];
      if (providerName) {
        const provider = resolveProvider(
          providerName,
          { ...config.ai, model: options.model ?? config.ai.model },
          process.env,
        );
        console.log(`Asking ${provider.label} (${provider.model})…`);
        const reply = await ask(provider, { system: systemPrompt(project), prompt: prose }, config.ai, (message) =>
          console.error(message),
        );
        try {
          steps = parsePlanReply(reply);
        } catch (error) {
          if (error instanceof PlanError)
            throw new PlanError(error.problems.map((problem) => `${provider.label}: ${problem}`));
          throw error;
        }
        console.log(`\nPlan from ${provider.label}:`);
      } else {
        const offline = planOffline(prose, project);
        console.log(
          'Planning offline (no AI provider configured: fastpy config --set ai.provider=<name>, with its API key in the environment).',
        );
        for (const note of offline.notes) console.log(`  note: ${note}`);
        steps = offline.steps;
        if (steps.length === 0) throw new UsageError(`nothing to plan from "${prose}"`, 'E_PLAN');
        console.log('\nPlan (offline):');
      }
      console.log(formatPlan(steps));

      let valid: ValidStep[];
      try {
        valid = validatePlan(steps, createProgram, project);
      } catch (error) {
        if (error instanceof PlanError) throw new UsageError(`${error.message}\nNothing ran.`, 'E_PLAN');
        throw error;
      }
      if (options.dryRun) return console.log('\nDry run: nothing ran.');
      if (!options.execute) {
        if (!process.stdin.isTTY) return console.log('\nNot run: no terminal to confirm on. Run it with -e.');
        if (!(await confirm(`\nRun these ${valid.length} commands? [y/N] `))) return console.log('Not run.');
      }
      const code = run(valid, root);
      if (code !== 0) process.exitCode = code;
    });
}
