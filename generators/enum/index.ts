// `yo fastpy:enum <Name> -v a -v b` / `fastpy make:enum <Name> -v …`: a typed enum in src/enums/.
import { enumEntries } from '../../lib/declarations.js';
import { FastpyGenerator } from '../../lib/generator-support.js';
import { kebabCase, pascalCase, snakeCase } from '../../lib/naming.js';
import { UsageError } from '../../lib/questions.js';

export default class EnumGenerator extends FastpyGenerator {
  declare context: {
    className: string;
    constantName: string;
    fileName: string;
    entries: Array<{ key: string; value: string }>;
  };

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options);
    this.argument('name', { type: String, required: true, description: 'Enum name: Status, OrderState' });
    this.option('value', {
      type: (value: unknown) => value,
      alias: 'v',
      description: 'A value (repeatable): -v active -v inactive',
    });
  }

  initializing(): void {
    this.enterProject('yo fastpy:enum');
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(String(this.options.name)))
      throw new UsageError(
        `"${String(this.options.name)}" is not an enum name: use letters and digits, e.g. Status`,
        'E_NAME',
      );
  }

  async prompting(): Promise<void> {
    let values = ([] as unknown[])
      .concat(this.options.value ?? [])
      .map((value) => String(value).trim())
      .filter(Boolean);
    const configured = this.readConfig()?.values;
    if (values.length === 0 && Array.isArray(configured)) values = configured.map(String);
    if (values.length === 0 && this.interactive && this.options.yes !== true) {
      const { list } = await this.prompt([
        {
          type: 'input',
          name: 'list',
          message: 'Values (comma-separated)',
          validate: (input: string) => (input.trim() ? true : 'give at least one value'),
        },
      ] as never);
      values = String(list)
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean);
    }
    if (values.length === 0)
      throw new UsageError(
        `No values for the enum: pass them with -v (repeatable), e.g. ${this.commandName('yo fastpy:enum')} ${String(this.options.name)} -v active -v inactive`,
        'E_NO_VALUES',
      );
    const entries = enumEntries(values);
    const className = pascalCase(String(this.options.name));
    this.context = {
      className,
      constantName: snakeCase(className).toUpperCase(),
      fileName: kebabCase(className),
      entries,
    };
  }

  async writing(): Promise<void> {
    const target = `src/enums/${this.context.fileName}.ts`;
    this.render(this.templatePath('enum.ts.ejs'), this.destinationPath(target), this.context);
    await this.resolveConflicts((await this.settleFiles([target])).pending);
  }

  end(): void {
    this.log(
      `\n  src/enums/${this.context.fileName}.ts: ${this.context.className} = ${this.context.entries.map((entry) => entry.value).join(' | ')}\n`,
    );
  }
}
