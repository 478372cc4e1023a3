// What every fastpy generator shares: the common options (--yes, --config), answering questions
// through lib/questions, locating the package's templates and runtime, and copying file trees.
import { assertWritable, commitAtomically } from './atomic-commit.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { listFiles, PROJECT_TEMPLATES, SHARED_TEMPLATES } from './template-files.js';
import { withFeatures, type PackageManifest } from './features.js';
import { formatProblem, formatTexts, PRETTIER_OPTIONS, startFormatter } from './format.js';
import { BASE_DIR, checksum, conflictExcerpt, lineDiff, settleFile, type FileAction } from './generated-files.js';
import { requireProjectRoot } from './project-root.js';
import { folderPartOf, runtimeImport, runtimeLayout, type RuntimeLayout } from './runtime-imports.js';
import { readConfigOption, resolveAnswers, UsageError, type Answers, type QuestionSpec } from './questions.js';

/** What a run does with a file. */
export type PlannedAction = FileAction | 'overwrite' | 'skip' | 'marked' | 'delete';

const ACTION_LABELS: Record<PlannedAction, string> = {
  create: 'create',
  update: 'update',
  unchanged: 'unchanged',
  kept: 'keep',
  merged: 'merge',
  conflict: 'conflict',
  overwrite: 'overwrite',
  skip: 'skip',
  marked: 'conflict',
  delete: 'delete',
};
const ACTION_PAST: Record<PlannedAction, string> = {
  create: 'created',
  update: 'updated',
  unchanged: 'unchanged',
  kept: 'kept as you edited them',
  merged: 'merged with your edits',
  conflict: 'in conflict',
  overwrite: 'overwritten',
  skip: 'kept as yours',
  marked: 'written with conflict markers',
  delete: 'deleted',
};
const ACTION_NOTES: Partial<Record<PlannedAction, string>> = {
  kept: "your edits; fastpy's output for it is as before",
  merged: "your edits and fastpy's changes, merged",
  conflict: "your edits and fastpy's changes overlap: decided in a terminal, or --force",
  overwrite: "fastpy's version: your edits are replaced",
  skip: "kept yours: fastpy's changes to it not applied",
  marked: 'written with conflict markers: merge it by hand',
};

/** A file both the owner and fastpy changed, waiting for a decision. */
export interface PendingConflict {
  file: string;
  /** Both versions between conflict markers, when there was a base to merge with. */
  marked?: string;
  disk: string;
  next: string;
}

/** What settleFiles did: this run's output per file, and the conflicts left to decide. */
export interface SettledRun {
  outputs: Record<string, string>;
  pending: PendingConflict[];
}

export { listFiles, PROJECT_TEMPLATES };

/**
 * Base class of fastpy generators: declares --yes and --config and answers questions from
 * options, config, defaults or prompts (see lib/questions.ts).
 */
/** Options as parsed by Yeoman: keyed by option name as declared (kebab-case) and as given. */
export type GeneratorOptions = BaseOptions & Record<string, unknown>;

export abstract class FastpyGenerator extends Generator<Record<string, unknown>, GeneratorOptions> {
  constructor(args: string[], options: Record<string, unknown>, features: Record<string, unknown> = {}) {
    // All files or none: an unwritable destination or an interrupt never leaves a project half-written.
    // Every fastpy generator prints its own summary of the files, so Yeoman's line per file is left out.
    super(args, options as never, {
      customInstallTask: true,
      customCommitTask: () => commitAtomically(this.env, { quiet: true }),
      ...features,
    });
    // Prettier loads in its own thread while this run asks and renders (`yo fastpy:*`; the fastpy
    // command starts it earlier still, before loading Yeoman).
    startFormatter();
    this.option('yes', {
      type: Boolean,
      alias: 'y',
      description: 'Take the default for every question not given by an option',
    });
    this.option('config', { type: String, description: 'Answers as inline JSON or a JSON file' });
  }

  /** Whether a person can answer prompts. */
  protected get interactive(): boolean {
    return Boolean(process.stdin.isTTY);
  }

  /**
   * A template's path: the project's own copy in .fastpy/templates/<generator>/ when it has one
   * (published by `fastpy stubs:publish`), else the generator's (or, for a shared one, the generator's it is).
   */
  override templatePath(...paths: string[]): string {
    const group = basename(dirname(this.sourceRoot()));
    const name = relative(this.sourceRoot(), super.templatePath(...paths));
    // A template shared with another generator (SHARED_TEMPLATES) is that generator's file.
    const shared = SHARED_TEMPLATES[group]?.[name];
    const bundled = shared ? join(dirname(dirname(this.sourceRoot())), shared) : super.templatePath(...paths);
    const local = this.destinationPath(PROJECT_TEMPLATES, group, name);
    return existsSync(local) && statSync(local).isFile() ? local : bundled;
  }

  /** The command the user typed (`fastpy make:resource`), or the Yeoman one, for messages. */
  protected commandName(yeomanCommand: string): string {
    return typeof this.options.invokedAs === 'string'
      ? this.options.invokedAs.split(' ').slice(0, 2).join(' ')
      : yeomanCommand;
  }

  /** Answers given by --config, if any. */
  protected readConfig(): Answers | undefined {
    return readConfigOption(this.options.config, this.env.cwd);
  }

  protected async answer(
    specs: readonly QuestionSpec[],
    command: string,
    options: Record<string, unknown> = this.options,
  ): Promise<Answers> {
    return resolveAnswers(specs, {
      options,
      config: this.readConfig(),
      yes: this.options.yes === true,
      interactive: this.interactive,
      prompt: (questions) => this.prompt<Answers>(questions as never),
      command,
    });
  }

  /** Files rendered or edited this run and not yet formatted (absolute paths). */
  readonly #unformatted = new Set<string>();

  /**
   * Prettier settings for what this run writes: undefined takes the project's own (its
   * .prettierrc.json, .editorconfig), as `npm run lint` does; a new project overrides this.
   */
  protected get formatOptions(): typeof PRETTIER_OPTIONS | undefined {
    return undefined;
  }

  /**
   * Renders a template into the in-memory file system; formatFiles (settleFiles calls it) formats it.
   * Templates import the runtime with `<%- runtime('controllers/resource-controller') %>`: the
   * specifier for this file in this project's layout (lib/runtime-imports.ts); and a model with
   * `<%- modelImport(model) %>` (a project's src/models/, or the runtime's User).
   */
  protected render(template: string, destination: string, context: object): void {
    const file = relative(this.destinationRoot(), destination);
    // A part the owner ejected (fastpy eject) is imported from its copy in src/.
    const ejected = (this.config.get('ejected') as string[] | undefined) ?? [];
    const runtime = (module: string) =>
      // (A module in a folder part, libs/cache/manager, is ejected with its folder.)
      runtimeImport(ejected.includes(folderPartOf(module) ?? module) ? 'copied' : this.runtimeLayout, file, module);
    const modelImport = (model: { modelFile: string; runtimeModel?: boolean }) =>
      model.runtimeModel
        ? runtime(`models/${model.modelFile}`)
        : runtimeImport('copied', file, `models/${model.modelFile}`);
    this.fs.copyTpl(template, destination, { ...context, runtime, modelImport });
    this.#unformatted.add(destination);
  }

  #runtimeLayout: RuntimeLayout | undefined;

  /** How this project has the runtime: the fastpy-runtime package, or copied into src/ (before 0.2). */
  protected get runtimeLayout(): RuntimeLayout {
    return (this.#runtimeLayout ??= runtimeLayout(this.destinationRoot()));
  }

  /** Formats what render and registerIn wrote since the last call, as Prettier does in the project. */
  protected async formatFiles(): Promise<void> {
    const files = [...this.#unformatted].flatMap((path) => {
      const text = this.fs.read(path);
      return text === null || text === undefined ? [] : [{ path, text, options: this.formatOptions }];
    });
    this.#unformatted.clear();
    const results = await formatTexts(files);
    results.forEach((result, index) => {
      const { path, text } = files[index]!;
      if ('error' in result) {
        const file = relative(this.destinationRoot(), path);
        throw new UsageError(
          `fastpy's output for ${file} does not parse (${formatProblem(result.error)}): if its template is one of yours under ${PROJECT_TEMPLATES}/, mend it. Nothing was written.`,
          'E_TEMPLATE',
        );
      }
      if (result.text !== text) this.fs.write(path, result.text);
    });
  }

  /** Lets a file written this run replace the one on disk without asking (files fastpy manages: registries). */
  protected markOverwrite(relativePath: string): void {
    const file = this.fs.store.get(this.destinationPath(relativePath)) as { conflicter?: string };
    file.conflicter = 'force';
  }

  /**
   * Settles the files this run generated (already rendered into the in-memory file system) against
   * the disk (see settleFile): each is created, updated, unchanged, kept, merged, or a conflict left
   * for resolveConflicts (until then the owner's file stays). Each file's output is kept under
   * .fastpy/generated/ as the base of the next merge. Returns this run's output per file and the
   * conflicts. What the run rendered is formatted first, so each output is compared as it is written.
   */
  protected async settleFiles(
    relativePaths: readonly string[],
    lastChecksums: Readonly<Record<string, string>> = {},
  ): Promise<SettledRun> {
    await this.formatFiles();
    assertWritable(
      relativePaths.map((relativePath) => this.destinationPath(relativePath)),
      this.destinationRoot(),
    );
    const outputs: Record<string, string> = {};
    const pending: PendingConflict[] = [];
    for (const file of relativePaths) {
      const path = this.destinationPath(file);
      const next = this.fs.read(path) ?? '';
      outputs[file] = next;
      const disk = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
      const basePath = this.destinationPath(BASE_DIR, file);
      const base = existsSync(basePath) ? readFileSync(basePath, 'utf8') : undefined;
      const settled = settleFile({ disk, base, lastChecksum: lastChecksums[file], next });
      if (settled.action === 'conflict') {
        pending.push({ file, marked: settled.marked, disk: disk!, next });
        // Until decided, the owner's file stays as it is.
        this.#keep(file);
        this.plan.push({ file, action: 'conflict' });
        continue;
      }
      if (settled.action === 'kept') this.#keep(file);
      else if (settled.content !== undefined) this.#put(file, settled.content);
      this.plan.push({ file, action: settled.action });
    }
    for (const [file, next] of Object.entries(outputs)) this.#put(join(BASE_DIR, file), next);
    return { outputs, pending };
  }

  /** Settles the conflicts settleFiles left: --force overwrites, a terminal asks file by file, and without one the run stops. */
  protected async resolveConflicts(pending: readonly PendingConflict[]): Promise<void> {
    if (this.dryRun) return;
    for (const conflict of pending) {
      const action = await this.#decideConflict(
        conflict,
        pending.map((entry) => entry.file),
      );
      if (action === 'marked') this.#put(conflict.file, conflict.marked!);
      else if (action === 'overwrite') this.#put(conflict.file, conflict.next);
      const entry = this.plan.find((planned) => planned.file === conflict.file)!;
      entry.action = action;
    }
  }

  #keep(file: string): void {
    (this.fs.store.get(this.destinationPath(file)) as { conflicter?: string }).conflicter = 'skip';
  }

  #put(file: string, content: string): void {
    this.fs.write(this.destinationPath(file), content);
    this.markOverwrite(file);
  }

  /** A file both the owner and fastpy changed where the changes overlap: --force, a question, or a stop. */
  async #decideConflict(conflict: PendingConflict, all: readonly string[]): Promise<'overwrite' | 'skip' | 'marked'> {
    if (this.options.force === true) return 'overwrite';
    if (!this.interactive) {
      throw new UsageError(
        [
          `These files were changed since fastpy wrote them, and fastpy's new output changes them too, where you did: ${all.join(', ')}.`,
          "No terminal is here to ask what to do. Run in a terminal to decide file by file (keep yours, take fastpy's, or merge by hand between conflict markers), or pass --force to overwrite them (your changes to them are lost). Nothing was written.",
        ].join('\n'),
        'E_CONFLICT',
      );
    }
    this.log(
      conflict.marked
        ? `\n${conflict.file}: your changes and fastpy's overlap here (yours above =======, fastpy's below):\n${conflictExcerpt(conflict.marked)}`
        : `\n${conflict.file} was changed since fastpy wrote it, and fastpy has no copy of its last version to merge with. fastpy's new version differs here:\n${lineDiff(conflict.disk, conflict.next)}`,
    );
    const { resolution } = await this.prompt([
      {
        type: 'select',
        name: 'resolution',
        message: `${conflict.file}: what do you want to do?`,
        choices: [
          { name: "Keep yours (fastpy's changes to this file are not applied)", value: 'skip' },
          { name: "Take fastpy's (your changes to this file are lost)", value: 'overwrite' },
          ...(conflict.marked
            ? [{ name: 'Write both between conflict markers, to merge by hand', value: 'marked' }]
            : []),
          { name: 'Stop: write nothing', value: 'stop' },
        ],
        default: 'skip',
      },
    ] as never);
    if (resolution === 'stop') throw new UsageError('Stopped: nothing was written.', 'E_CANCELLED');
    return resolution as 'overwrite' | 'skip' | 'marked';
  }

  /** What this run writes, for --dry-run and summaries. */
  protected readonly plan: Array<{ file: string; action: PlannedAction }> = [];

  /** --dry-run: show what would be written, and write nothing. */
  protected get dryRun(): boolean {
    return this.options['dry-run'] === true || this.options.dryRun === true;
  }

  /** The file actions as summary lines: `create  src/models/post.ts`. */
  protected planLines(): string[] {
    const width = Math.max(0, ...this.plan.map((entry) => ACTION_LABELS[entry.action].length));
    return this.plan.map(
      (entry) =>
        `${ACTION_LABELS[entry.action].padEnd(width)}  ${entry.file}${ACTION_NOTES[entry.action] ? `  (${ACTION_NOTES[entry.action]})` : ''}`,
    );
  }

  /** The file actions counted: `9 created, 2 updated, 1 merged`. */
  protected planCounts(): string {
    const counts = new Map<string, number>();
    for (const { action } of this.plan) counts.set(ACTION_PAST[action], (counts.get(ACTION_PAST[action]) ?? 0) + 1);
    return [...counts].map(([action, count]) => `${count} ${action}`).join(', ') || 'no files changed';
  }

  /** Prints the plan (after `before`, e.g. a schema change) and drops every pending change, so the run leaves the project as it was. */
  protected discardForDryRun(before: readonly string[] = []): void {
    this.log(
      [
        '',
        'Dry run: nothing is written.',
        ...before,
        'Files:',
        ...this.planLines().map((line) => `  ${line}`),
        '',
      ].join('\n'),
    );
    for (const file of this.fs.store.all()) (file as { conflicter?: string }).conflicter = 'skip';
  }

  /** Checksums of this run's outputs, to recognise later whether the owner changed a file. */
  protected checksums(outputs: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(Object.entries(outputs).map(([file, text]) => [file, checksum(text)]));
  }

  /**
   * Adds an import and a list entry to a registry file (before its `// fastpy:…` marker line), once:
   * running a generator again never duplicates a registration; formatFiles formats the file.
   * Returns the file when it changed.
   */
  protected registerIn(file: string, marker: string, importLine: string, entry: string): string[] {
    const path = this.destinationPath(file);
    if (!this.fs.exists(path))
      throw new UsageError(
        `${file} is missing: fastpy registers generated code there; restore it from a new project`,
        'E_PROJECT_FILE',
      );
    const text = this.fs.read(path);
    if (text.split('\n').some((line) => sameStatement(line, importLine))) return [];
    if (!text.includes(marker))
      throw new UsageError(
        `${file} has no "${marker}" line, so fastpy cannot add ${entry.trim()} there; add the line back inside the list`,
        'E_PROJECT_FILE',
      );
    const lines = text.split('\n');
    const lastImport = lines.reduce((last, line, index) => (line.startsWith('import ') ? index : last), -1);
    lines.splice(lastImport + 1, 0, importLine);
    const markerIndex = lines.findIndex((line) => line.includes(marker));
    lines.splice(markerIndex, 0, entry);
    this.fs.write(path, lines.join('\n'));
    this.#unformatted.add(path);
    this.markOverwrite(file);
    this.plan.push({ file, action: 'update' });
    return [file];
  }

  /**
   * Adds the packages of the runtime's optional features (lib/features.ts) to the project's
   * package.json, where the project depends on the runtime package (one with the runtime copied
   * into src/ has every package). Returns the packages added: the run's summary says to npm install.
   */
  protected addFeatures(features: readonly string[]): string[] {
    if (this.runtimeLayout !== 'package') return [];
    const path = this.destinationPath('package.json');
    const { pkg, added } = withFeatures(this.fs.readJSON(path) as PackageManifest, features);
    if (added.length === 0) return [];
    this.fs.writeJSON(path, pkg);
    this.markOverwrite('package.json');
    this.plan.push({ file: 'package.json', action: 'update' });
    return added;
  }

  /** Removes what registerIn added. Returns the file when it changed. */
  protected unregisterIn(file: string, importLine: string, entry: string): string[] {
    const path = this.destinationPath(file);
    if (!this.fs.exists(path)) return [];
    const text = this.fs.read(path);
    const lines = text.split('\n').filter((line) => !sameStatement(line, importLine) && !sameStatement(line, entry));
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
  protected writeTree(
    sourceDir: string,
    destinationDir: string,
    context: object,
    include: (file: string) => boolean = () => true,
  ): string[] {
    const written: string[] = [];
    for (const file of listFiles(sourceDir).filter(include)) {
      const target = file.replace(/\.ejs$/, '').replace(/(^|\/)_gitignore$/, '$1.gitignore');
      const destination = this.destinationPath(destinationDir, target);
      if (file.endsWith('.ejs')) this.render(join(sourceDir, file), destination, context);
      else this.fs.copy(join(sourceDir, file), destination);
      written.push(relative(this.destinationRoot(), destination));
    }
    return written;
  }
}

/**
 * Whether a line of a registry file is a registration, however the project's Prettier settings
 * print it: quotes, semicolons, a trailing comma and indentation aside.
 *
 * @example
 * sameStatement('import { a } from "./a.js"', "import { a } from './a.js';") // true
 */
export function sameStatement(line: string, statement: string): boolean {
  const bare = (text: string) => text.trim().replace(/["`]/g, "'").replace(/[;,]$/, '');
  return bare(line) === bare(statement);
}
