// `yo fastpy:middleware <Name>` / `fastpy make:middleware <Name>`: a Koa middleware, registered in src/middleware/index.ts.
import { FastpyGenerator } from '../../lib/generator-support.js';
import { camelCase, kebabCase, pascalCase } from '../../lib/naming.js';
import { UsageError } from '../../lib/questions.js';

export default class MiddlewareGenerator extends FastpyGenerator {
  #written: string[] = [];

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options);
    this.argument('name', { type: String, required: true, description: 'Middleware name: Logging, TenantScope' });
  }

  initializing(): void {
    this.enterProject('yo fastpy:middleware');
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(String(this.options.name)))
      throw new UsageError(
        `"${String(this.options.name)}" is not a middleware name: use letters and digits, e.g. Logging`,
        'E_NAME',
      );
  }

  async writing(): Promise<void> {
    const base = pascalCase(String(this.options.name).replace(/[-_]?middleware$/i, ''));
    const context = { className: base, camelName: camelCase(base), fileName: kebabCase(base) };
    const target = `src/middleware/${context.fileName}.ts`;
    this.render(this.templatePath('middleware.ts.ejs'), this.destinationPath(target), context);
    const registered = this.registerIn(
      'src/middleware/index.ts',
      '// fastpy:middleware',
      `import { ${context.camelName} } from './${context.fileName}.js';`,
      `  ${context.camelName}(),`,
    );
    await this.resolveConflicts((await this.settleFiles([target])).pending);
    this.#written.push(target, ...registered);
  }

  end(): void {
    this.log(
      [
        '',
        ...this.#written.map((file) => `  ${file}`),
        '',
        'It runs after the built-in middleware, before the routes.',
        '',
      ].join('\n'),
    );
  }
}
