// What every fastpy generator shares: the common options (--yes, --config), answering questions
// through lib/questions, locating the package's templates and runtime, and copying file trees.
import { assertWritable, commitAtomically } from './atomic-commit.js';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { requireProjectRoot } from './project-root.js';
import { readConfigOption, resolveAnswers, UsageError, type Answers, type QuestionSpec } from './questions.js';

/** Where a project keeps its own copies of the generators' templates. */
export const PROJECT_TEMPLATES = '.fastpy/templates';

/** SHA-256 of a file's text, to tell whether it is still as fastpy wrote it. */
export function checksum(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Every file below a directory, as paths relative to it (sorted, so output order is stable). */
export function listFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)))
    .sort();
}

/**
 * Base class of fastpy generators: declares --yes and --config and answers questions from
 * options, config, defaults or prompts (see lib/questions.ts).
 */
/** Options as parsed by Yeoman: keyed by option name as declared (kebab-case) and as given. */
export type GeneratorOptions = BaseOptions & Record<string, unknown>;

export abstract class FastpyGenerator extends Generator<Record<string, unknown>, GeneratorOptions> {
  constructor(args: string[], options: Record<string, unknown>, features: Record<string, unknown> = {}) {
    // All files or none: an unwritable destination or an interrupt never leaves a project half-written.
    super(args, options as never, { customInstallTask: true, customCommitTask: () => commitAtomically(this.env as never), ...features } as never);
    this.option('yes', { type: Boolean, alias: 'y', description: 'Take the default for every question not given by an option' });
    this.option('config', { type: String, description: 'Answers as inline JSON or a JSON file' });
  }

  /** Whether a person can answer prompts. */
  protected get interactive(): boolean {
    return Boolean(process.stdin.isTTY);
  }

  /**
   * A template's path: the project's own copy in .fastpy/templates/<generator>/ when it has one
   * (published by `fastpy stubs:publish`), else the generator's.
   */
  override templatePath(...paths: string[]): string {
    const bundled = super.templatePath(...paths);
    const group = basename(dirname(this.sourceRoot()));
    const local = this.destinationPath(PROJECT_TEMPLATES, group, relative(this.sourceRoot(), bundled));
    return existsSync(local) && statSync(local).isFile() ? local : bundled;
  }

  /** The command the user typed (`fastpy make:resource`), or the Yeoman one, for messages. */
  protected commandName(yeomanCommand: string): string {
    return typeof this.options.invokedAs === 'string' ? this.options.invokedAs.split(' ').slice(0, 2).join(' ') : yeomanCommand;
  }

  /** Answers given by --config, if any. */
  protected readConfig(): Answers | undefined {
    return readConfigOption(this.options.config, this.env.cwd);
  }

  protected async answer(specs: readonly QuestionSpec[], command: string, options: Record<string, unknown> = this.options): Promise<Answers> {
    return resolveAnswers(specs, {
      options,
      config: this.readConfig(),
      yes: this.options.yes === true,
      interactive: this.interactive,
      prompt: (questions) => this.prompt(questions as never) as Promise<Answers>,
      command,
    });
  }

  /** Lets a file written this run replace the one on disk without asking (files fastpy manages: registries). */
  protected markOverwrite(relativePath: string): void {
    const file = this.fs.store.get(this.destinationPath(relativePath)) as { conflicter?: string };
    file.conflicter = 'force';
  }

  /**
   * Files this run would change that exist on disk with other content. A file whose disk content is
   * still what fastpy last wrote (its checksum matches) is simply updated; one the user edited is a
   * conflict: with --force it is overwritten, in a terminal Yeoman asks file by file, and with no
   * terminal the run stops here, naming them, before anything is written.
   */
  protected guardConflicts(relativePaths: readonly string[], written: Readonly<Record<string, string>> = {}): void {
    const edited: string[] = [];
    assertWritable(relativePaths.map((relativePath) => this.destinationPath(relativePath)), this.destinationRoot());
    for (const relativePath of relativePaths) {
      const path = this.destinationPath(relativePath);
      if (!existsSync(path)) {
        this.plan.push({ file: relativePath, action: 'create' });
        continue;
      }
      const disk = readFileSync(path, 'utf8');
      if (disk === this.fs.read(path)) {
        this.plan.push({ file: relativePath, action: 'unchanged' });
      } else if (written[relativePath] === checksum(disk)) {
        this.plan.push({ file: relativePath, action: 'update' });
        this.markOverwrite(relativePath);
      } else {
        this.plan.push({ file: relativePath, action: 'conflict' });
        edited.push(relativePath);
      }
    }
    if (edited.length === 0 || this.dryRun) return;
    if (this.options.force === true) {
      for (const relativePath of edited) this.markOverwrite(relativePath);
      return;
    }
    if (!this.interactive) {
      throw new UsageError(
        `These files were changed since fastpy wrote them, and no terminal is here to ask about them: ${edited.join(', ')}.\nPass --force to overwrite them (your changes to them are lost), or run in a terminal to decide file by file. Nothing was written.`,
        'E_CONFLICT',
      );
    }
  }

  /** What this run writes, for --dry-run and summaries. */
  protected readonly plan: Array<{ file: string; action: 'create' | 'update' | 'unchanged' | 'conflict' | 'delete' }> = [];

  /** --dry-run: show what would be written, and write nothing. */
  protected get dryRun(): boolean {
    return this.options['dry-run'] === true || this.options.dryRun === true;
  }

  /** Prints the plan and drops every pending change, so the run leaves the project as it was. */
  protected discardForDryRun(): void {
    const width = Math.max(...this.plan.map((entry) => entry.action.length));
    this.log(['', 'Dry run: nothing is written. This would:', ...this.plan.map((entry) => `  ${entry.action.padEnd(width)}  ${entry.file}${entry.action === 'conflict' ? '  (edited since fastpy wrote it: needs --force)' : ''}`), ''].join('\n'));
    for (const file of this.fs.store.all()) (file as { conflicter?: string }).conflicter = 'skip';
  }

  /** Checksums of files as this run writes them, to recognise later whether the user changed them. */
  protected checksums(relativePaths: readonly string[]): Record<string, string> {
    return Object.fromEntries(relativePaths.map((relativePath) => [relativePath, checksum(this.fs.read(this.destinationPath(relativePath)) ?? '')]));
  }

  /**
   * Adds an import and a list entry to a registry file (before its `// fastpy:…` marker line), once:
   * running a generator again never duplicates a registration. Returns the file when it changed.
   */
  protected registerIn(file: string, marker: string, importLine: string, entry: string): string[] {
    const path = this.destinationPath(file);
    if (!this.fs.exists(path)) throw new UsageError(`${file} is missing: fastpy registers generated code there; restore it from a new project`, 'E_PROJECT_FILE');
    const text = this.fs.read(path)!;
    if (text.includes(importLine)) return [];
    if (!text.includes(marker)) throw new UsageError(`${file} has no "${marker}" line, so fastpy cannot add ${entry.trim()} there; add the line back inside the list`, 'E_PROJECT_FILE');
    const lines = text.split('\n');
    const lastImport = lines.reduce((last, line, index) => (line.startsWith('import ') ? index : last), -1);
    lines.splice(lastImport + 1, 0, importLine);
    const markerIndex = lines.findIndex((line) => line.includes(marker));
    lines.splice(markerIndex, 0, entry);
    this.fs.write(path, lines.join('\n'));
    this.markOverwrite(file);
    this.plan.push({ file, action: 'update' });
    return [file];
  }

  /** Removes what registerIn added. Returns the file when it changed. */
  protected unregisterIn(file: string, importLine: string, entry: string): string[] {
    const path = this.destinationPath(file);
    if (!this.fs.exists(path)) return [];
    const text = this.fs.read(path)!;
    const lines = text.split('\n').filter((line) => line !== importLine && line !== entry);
    if (lines.join('\n') === text) return [];
    this.fs.write(path, lines.join('\n'));
    this.markOverwrite(file);
    this.plan.push({ file, action: 'update' });
    return [file];
  }

  /** Stops with a clear message outside a fastpy project; inside one, writes there. */
  protected enterProject(yeomanCommand: string): void {
    this.destinationRoot(requireProjectRoot(this.env.cwd, this.commandName(yeomanCommand)));
  }

  /**
   * Writes every file of a template tree: `.ejs` files rendered with `context` (suffix dropped),
   * others copied; `_gitignore` becomes `.gitignore` (npm drops dotfiles named .gitignore).
   */
  protected writeTree(sourceDir: string, destinationDir: string, context: object, include: (file: string) => boolean = () => true): string[] {
    const written: string[] = [];
    for (const file of listFiles(sourceDir).filter(include)) {
      const target = file.replace(/\.ejs$/, '').replace(/(^|\/)_gitignore$/, '$1.gitignore');
      const destination = this.destinationPath(destinationDir, target);
      if (file.endsWith('.ejs')) this.fs.copyTpl(join(sourceDir, file), destination, context as never);
      else this.fs.copy(join(sourceDir, file), destination);
      written.push(relative(this.destinationRoot(), destination));
    }
    return written;
  }
}
