// `yo fastpy:exception <Name> -s <status>` / `fastpy make:exception …`: an AppError subclass with its status and code.
import { exceptionStatus } from '../../lib/declarations.js';
import { FastpyGenerator } from '../../lib/generator-support.js';
import { kebabCase, pascalCase, snakeCase } from '../../lib/naming.js';
import { UsageError } from '../../lib/questions.js';

export default class ExceptionGenerator extends FastpyGenerator {
  declare context: { className: string; fileName: string; status: number; code: string; defaultMessage: string };

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options);
    this.argument('name', { type: String, required: true, description: 'Exception name: PaymentFailed' });
    this.option('status', { type: String, alias: 's', description: 'HTTP status, 400-599 (default 400)' });
  }

  initializing(): void {
    this.enterProject('yo fastpy:exception');
    const name = String(this.options.name);
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name))
      throw new UsageError(`"${name}" is not an exception name: use letters and digits, e.g. PaymentFailed`, 'E_NAME');
    const raw = this.options.status ?? this.readConfig()?.status ?? '400';
    const status = exceptionStatus(raw);
    const base = pascalCase(name.replace(/[-_]?exception$/i, ''));
    this.context = {
      className: `${base}Exception`,
      fileName: `${kebabCase(base)}-exception`,
      status,
      code: snakeCase(base).toUpperCase(),
      defaultMessage: snakeCase(base)
        .replace(/_/g, ' ')
        .replace(/^./, (first) => first.toUpperCase()),
    };
  }

  async writing(): Promise<void> {
    const target = `src/exceptions/${this.context.fileName}.ts`;
    this.render(this.templatePath('exception.ts.ejs'), this.destinationPath(target), this.context);
    await this.resolveConflicts((await this.settleFiles([target])).pending);
  }

  end(): void {
    this.log(
      `\n  src/exceptions/${this.context.fileName}.ts: ${this.context.className} → ${this.context.status} ${this.context.code}\n`,
    );
  }
}
