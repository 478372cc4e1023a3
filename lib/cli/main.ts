// The `fastpy` command line: one commander program, one module per command under commands/.
import { Command, CommanderError } from 'commander';
import { PACKAGE_VERSION } from '../package.js';
import { UsageError } from '../questions.js';
import { registerAdd } from './commands/add.js';
import { registerAi } from './commands/ai.js';
import { registerConfigCommands } from './commands/config.js';
import { registerDocs } from './commands/docs.js';
import { registerEject } from './commands/eject.js';
import { registerGlobalCommands } from './commands/global.js';
import { registerLibs } from './commands/libs.js';
import { registerMake } from './commands/make.js';
import { registerNew } from './commands/new.js';
import { registerProjectCommands } from './commands/project.js';
import { registerStubs } from './commands/stubs.js';
import { registerUpdate } from './commands/update.js';
import { registerUpgrade } from './commands/upgrade.js';

/** Builds the program with every command registered. */
export function createProgram(): Command {
  const program = new Command('fastpy')
    .description('Scaffold and grow Koa + Knex TypeScript APIs')
    .version(PACKAGE_VERSION, '-V, --version', 'print the fastpy version')
    .showSuggestionAfterError(true)
    .exitOverride();
  registerNew(program);
  registerMake(program);
  registerProjectCommands(program);
  registerAdd(program);
  registerUpdate(program);
  registerEject(program);
  registerStubs(program);
  registerAi(program, createProgram);
  registerConfigCommands(program);
  registerGlobalCommands(program);
  registerUpgrade(program);
  registerDocs(program);
  registerLibs(program);
  return program;
}

/** Errors the user caused (bad option, missing answer): the message alone, no stack. */
function isUsageError(error: unknown): error is Error {
  if (error instanceof UsageError) return true;
  // The pure modules' coded errors (FieldSpecError, PlanError) carry theirs as `code`.
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('E_');
}

/**
 * Runs the command line and returns the exit code.
 *
 * @example
 * process.exitCode = await main(process.argv);
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    // A command that failed without throwing (a project task's exit code) set process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isUsageError(error)) {
      console.error(`fastpy: ${error.message}`);
      return 1;
    }
    console.error(`fastpy: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
    return 1;
  }
}
