// The seed's individual generators: model, repository, service, controller, route, factory, seeder,
// test, middleware, enum, exception — each inside a project, with what it needs to compile.
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import test from 'ava';
import helpers from 'yeoman-test';
import AppGenerator from '../../generators/app/index.js';

const source = (name: string) => new URL(`../../generators/${name}/index.ts`, import.meta.url).pathname;
const generators = [
  'model',
  'repository',
  'service',
  'controller',
  'route',
  'factory',
  'seeder',
  'test',
  'middleware',
  'enum',
  'exception',
] as const;

async function run(name: string, dir: string, args: string[], options: Record<string, unknown> = {}) {
  const { default: Generator } = (await import(`../../generators/${name}/index.js`)) as { default: unknown };
  return helpers
    .run(Generator as never, { namespace: `fastpy:${name}`, resolved: source(name) })
    .cd(dir)
    .withArguments(args)
    .withOptions(options);
}

let skeleton: string;
test.before(async () => {
  const result = await helpers
    .run<AppGenerator>(AppGenerator as never, { namespace: 'fastpy:app', resolved: source('app') })
    .withArguments(['shop'])
    .withOptions({ yes: true, skipInstall: true });
  skeleton = mkdtempSync(join(tmpdir(), 'fastpy-parts-'));
  cpSync(join(result.cwd, 'shop'), skeleton, { recursive: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fastpy-parts-project-'));
  cpSync(skeleton, dir, { recursive: true });
  return dir;
}

const files = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
// The project's own files (.fastpy/generated/ holds fastpy's last output of each, for merges).
const added = (dir: string) =>
  files(dir).filter(
    (file) => !files(skeleton).includes(file) && file !== '.yo-rc.json' && !file.startsWith('.fastpy/'),
  );

test.serial('model writes the model and, with -m, its migration; its fields go to .yo-rc.json', async (t) => {
  const dir = project();
  await run('model', dir, ['Invoice'], {
    field: ['number:string:required,unique,max:20', 'total:money:required'],
    migration: true,
  });
  const created = added(dir);
  t.true(created.includes('src/models/invoice.ts'));
  t.true(created.some((file) => /_create_invoices_table\.ts$/.test(file)));
  t.is(created.length, 2);
  t.like(JSON.parse(read(dir, '.yo-rc.json'))['generator-fastpy'].resources.Invoice, {
    fields: ['number:string:required,unique,max:20', 'total:money:required'],
  });
  t.notRegex(read(dir, 'src/routes/index.ts'), /invoice/i, 'no routes for a model alone');
});

test.serial('controller, route and test bring what they need to compile, once', async (t) => {
  const dir = project();
  await run('model', dir, ['Invoice'], { field: ['number:string:required'], migration: true });
  await run('controller', dir, ['Invoice']);
  t.deepEqual(
    added(dir).filter((file) => !file.startsWith('src/database') && !file.startsWith('src/models')),
    [
      'src/controllers/invoice-controller.ts',
      'src/repositories/invoice-repository.ts',
      'src/services/invoice-service.ts',
    ],
  );
  await run('route', dir, ['Invoice'], { protected: true });
  t.regex(read(dir, 'src/routes/invoices.ts'), /requireAuth/);
  t.regex(read(dir, 'src/routes/index.ts'), /invoiceRoutes,/);
  await run('test', dir, ['Invoice']);
  t.true(added(dir).includes('tests/invoices.test.ts'));
  t.true(added(dir).includes('src/factories/invoice-factory.ts'));
  t.regex(read(dir, 'tests/invoices.test.ts'), /protected: true/);
  await run('seeder', dir, ['Invoice']);
  t.true(added(dir).includes('src/seeders/01_invoices.ts'));
});

test.serial('a part of a model that does not exist yet is refused, saying how to make it', async (t) => {
  for (const name of ['repository', 'service', 'controller', 'route', 'factory', 'seeder', 'test']) {
    const error = await t.throwsAsync(run(name, project(), ['Ghost']));
    t.regex(error.message, /There is no Ghost model yet[\s\S]*yo fastpy:model Ghost -f/, name);
  }
});

test.serial('enum: values become keys, with a type and a check', async (t) => {
  const dir = project();
  await run('enum', dir, ['order_state'], { value: ['pending', 'on-hold', 'shipped'] });
  const text = read(dir, 'src/enums/order-state.ts');
  t.regex(
    text,
    /export const OrderState = \{\n {2}PENDING: 'pending',\n {2}ON_HOLD: 'on-hold',\n {2}SHIPPED: 'shipped',\n\} as const;/,
  );
  t.regex(text, /export const ORDER_STATE_VALUES/);
  t.regex(text, /export function isOrderState/);
  const error = await t.throwsAsync(run('enum', project(), ['Bad'], { value: ['on hold'] }));
  t.regex(error.message, /"on hold" \(use letters, digits/);
  const clash = await t.throwsAsync(run('enum', project(), ['Bad'], { value: ['on-hold', 'on_hold'] }));
  t.regex(clash.message, /clash once turned into keys: ON_HOLD/);
});

test.serial('exception: a status between 400 and 599, and an error code from the name', async (t) => {
  const dir = project();
  await run('exception', dir, ['PaymentFailed'], { status: '402' });
  t.regex(
    read(dir, 'src/exceptions/payment-failed-exception.ts'),
    /class PaymentFailedException extends AppError[\s\S]*super\(402, 'PAYMENT_FAILED', message, options\)/,
  );
  await run('exception', dir, ['QuotaExceededException']);
  t.regex(read(dir, 'src/exceptions/quota-exceeded-exception.ts'), /super\(400, 'QUOTA_EXCEEDED'/);
  const error = await t.throwsAsync(run('exception', project(), ['Odd'], { status: '302' }));
  t.regex(error.message, /-s 302: an exception's status is an HTTP error status, 400 to 599/);
});

test.serial('middleware: written and registered once', async (t) => {
  const dir = project();
  await run('middleware', dir, ['TenantScope']);
  await run('middleware', dir, ['TenantScope']);
  t.regex(read(dir, 'src/middleware/tenant-scope.ts'), /export function tenantScope\(\): Middleware/);
  t.is(read(dir, 'src/middleware/index.ts').match(/tenantScope/g)?.length, 2, 'one import, one entry');
});

test.serial('every generator refuses to run outside a fastpy project', async (t) => {
  const outside = mkdtempSync(join(tmpdir(), 'fastpy-outside-'));
  for (const name of generators) {
    const error = await t.throwsAsync(run(name, outside, ['Thing'], { field: ['name:string'], value: ['a'] }));
    t.regex(error.message, /runs inside a fastpy project/, name);
  }
  t.deepEqual(readdirSync(outside), []);
});
