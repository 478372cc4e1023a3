// The users' own fields through make:resource User (and make:model User): the users table is
// authentication's, its extra columns the project's — added, changed, renamed and removed as a
// resource's are, with a migration each, src/models/user.ts rewritten (the owner's edits merged),
// and .yo-rc.json keeping them under "users".
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import helpers from 'yeoman-test';
import AppGenerator from '../../generators/app/index.js';
import ModelGenerator from '../../generators/model/index.js';
import ResourceGenerator from '../../generators/resource/index.js';
import ControllerGenerator from '../../generators/controller/index.js';
import { checksum } from '../../lib/generated-files.js';
import { USER_MODEL, userFieldsIn } from '../../lib/resource-generator.js';
import { answerQueue, failing, read, simulateTerminal, tree } from '../helpers/generators.js';

const source = (name: string) => new URL(`../../generators/${name}/index.ts`, import.meta.url).pathname;
const generators = { resource: ResourceGenerator, model: ModelGenerator, controller: ControllerGenerator };
const run = (name: keyof typeof generators = 'resource') =>
  helpers.run<ResourceGenerator>(generators[name] as never, { namespace: `fastpy:${name}`, resolved: source(name) });

let skeleton: string;

test.before(async () => {
  const made = await helpers
    .run<AppGenerator>(AppGenerator as never, { namespace: 'fastpy:app', resolved: source('app') })
    .withArguments(['shop'])
    .withOptions({ yes: true, skipInstall: true });
  skeleton = mkdtempSync(join(tmpdir(), 'fastpy-users-skeleton-'));
  cpSync(join(made.cwd, 'shop'), skeleton, { recursive: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fastpy-users-'));
  cpSync(skeleton, dir, { recursive: true });
  return dir;
}

const config = (dir: string) => JSON.parse(read(dir, '.yo-rc.json'))['generator-fastpy'];
const migrations = (dir: string) => readdirSync(join(dir, 'src/database/migrations'));
const userMigrations = (dir: string) => migrations(dir).filter((file) => file.endsWith('_alter_users_table.ts'));
const snapshot = (dir: string) => tree(dir).map((file) => [file, read(dir, file)]);

test('a new project keeps its User model as a generated file: checksum and merge base', (t) => {
  const model = read(skeleton, USER_MODEL.file);
  t.deepEqual(config(skeleton).users, {
    fields: [],
    migrations: [],
    checksums: { [USER_MODEL.file]: checksum(model) },
  });
  t.is(read(skeleton, `.fastpy/generated/${USER_MODEL.file}`), model);
  t.regex(model, /^export const userFields: readonly FieldDefinition\[\] = \[\];$/m);
  t.regex(model, /^export const User = userModel<UserRecord>\(\{$/m);
});

test.serial('-f adds columns to users: a migration, the fields and their record type; no other file', async (t) => {
  const dir = project();
  const before = tree(dir);
  await run()
    .cd(dir)
    .withArguments(['User'])
    .withOptions({ field: ['phone:phone:required', 'nickname:string:max:40,unique'] });
  const [migration, ...more] = userMigrations(dir);
  t.deepEqual(more, []);
  t.deepEqual(
    tree(dir).filter((file) => !before.includes(file)),
    [`src/database/migrations/${migration}`],
    'only the migration is new: User has no controller, routes or tests of its own',
  );
  const up = read(dir, `src/database/migrations/${migration}`);
  t.regex(up, /table\.string\('phone', 20\)\.nullable\(\);/, 'rows already there have no phone: added nullable');
  t.regex(up, /table\.string\('nickname', 40\)\.nullable\(\)\.unique\(\);/);
  t.regex(up, /table\.dropColumn\('phone'\);/, 'and rolled back');
  const model = read(dir, USER_MODEL.file);
  t.regex(model, /\{ name: 'phone', type: 'phone', rules: \{ required: true \} \},/);
  t.regex(model, /^ {2}nickname: string \| null;$/m);
  t.regex(model, /^export const User = userModel<UserRecord & UserFieldsRecord>\(\{$/m);
  const users = config(dir).users;
  t.deepEqual(users.fields, ['phone:phone:required', 'nickname:string:unique,max:40']);
  t.deepEqual(users.migrations, [migration]);
  t.is(users.checksums[USER_MODEL.file], checksum(model));
  t.deepEqual(config(dir).resources, {}, 'User is not one of the resources');
});

test.serial(
  'a second run renames and removes as asked: without a terminal a drop needs --allow-data-loss',
  async (t) => {
    const dir = project();
    await run()
      .cd(dir)
      .withArguments(['User'])
      .withOptions({ field: ['phone:phone', 'nickname:string:max:40'] });
    const before = snapshot(dir);
    const refused = await failing(
      run()
        .cd(dir)
        .withArguments(['User'])
        .withOptions({ removeField: ['phone'], renameField: ['nickname:handle'] }),
    );
    t.regex(refused.error.message, /This change to users can lose data:\n {2}- drops phone/);
    t.regex(refused.error.message, /--allow-data-loss/);
    t.deepEqual(snapshot(dir), before, 'nothing was written');

    await run()
      .cd(dir)
      .withArguments(['User'])
      .withOptions({ removeField: ['phone'], renameField: ['nickname:handle'], allowDataLoss: true });
    const latest = userMigrations(dir).sort().at(-1)!;
    const up = read(dir, `src/database/migrations/${latest}`);
    t.regex(up, /renameColumn\('nickname', 'handle'\)/);
    t.regex(up, /dropColumn\('phone'\)/);
    t.deepEqual(config(dir).users.fields, ['handle:string:max:40']);
    t.is(config(dir).users.migrations.length, 2);
    t.notRegex(read(dir, USER_MODEL.file), /name: 'phone'|nickname/);
    // With every field of the project's gone, users keep authentication's columns.
    await run()
      .cd(dir)
      .withArguments(['User'])
      .withOptions({ removeField: ['handle'], allowDataLoss: true });
    t.deepEqual(config(dir).users.fields, []);
    t.regex(read(dir, USER_MODEL.file), /userModel<UserRecord>\(/);
  },
);

test.serial("a resource's foreign key may reference a unique field of the users'", async (t) => {
  const dir = project();
  const refused = await failing(
    run()
      .cd(dir)
      .withArguments(['Post'])
      .withOptions({ field: ['author_handle:string:foreign:users.handle'] }),
  );
  t.regex(refused.error.message, /users\.handle/, 'not before users have it');
  await run()
    .cd(dir)
    .withArguments(['User'])
    .withOptions({ field: ['handle:string:max:40,unique'] });
  await run()
    .cd(dir)
    .withArguments(['Post'])
    .withOptions({ field: ['author_handle:string:foreign:users.handle'], migration: true });
  t.deepEqual(config(dir).resources.Post.fields, ['author_handle:string:foreign:users.handle']);
});

test.serial("the owner's edits to src/models/user.ts are merged with the next change", async (t) => {
  const dir = project();
  const path = join(dir, USER_MODEL.file);
  writeFileSync(path, readFileSync(path, 'utf8').replace('  hidden: [],', "  hidden: ['age'],"));
  await run('model')
    .cd(dir)
    .withArguments(['User'])
    .withOptions({ field: ['age:integer:min:0'], force: false });
  const model = read(dir, USER_MODEL.file);
  t.regex(model, /^ {2}hidden: \['age'\],$/m, 'kept');
  t.regex(model, /\{ name: 'age', type: 'integer', rules: \{ min: 0 \} \}/, 'and the field added');
});

test.serial("authentication's columns, uploads and what only resources have are refused, naming why", async (t) => {
  const cases: Array<[keyof typeof generators, Record<string, unknown>, RegExp]> = [
    ['resource', { field: ['email:string'] }, /"email" is authentication's column of users/],
    ['resource', { removeField: ['role'] }, /"role" is authentication's column of users/],
    ['resource', { renameField: ['name:full_name'] }, /"name" is authentication's column of users/],
    ['resource', { field: ['avatar:image'] }, /avatar: an image field needs an upload route/],
    ['resource', { field: ['phone:phone'], owned: true }, /User is authentication's model: .* --owned cannot apply/],
    ['resource', { remove: true, yes: true }, /--remove cannot apply/],
    ['resource', { 'belongs-to-many': ['Tag'] }, /--belongs-to-many cannot apply/],
    ['resource', { 'remove-belongs-to-many': ['Tag'] }, /--remove-belongs-to-many cannot apply/],
    ['resource', { field: ['phone:phone'], protected: true }, /--protected cannot apply/],
    ['controller', {}, /"User" is built in .*fastpy make:resource User -f/],
  ];
  for (const [generator, options, message] of cases) {
    const dir = project();
    const before = snapshot(dir);
    const { error } = await failing(run(generator).cd(dir).withArguments(['User']).withOptions(options));
    t.regex(error.message, message, JSON.stringify(options));
    t.deepEqual(snapshot(dir), before, `nothing was written for ${JSON.stringify(options)}`);
  }
});

test.serial("the wizard shows the project's fields and refuses authentication's names", async (t) => {
  const dir = project();
  await run()
    .cd(dir)
    .withArguments(['User'])
    .withOptions({ field: ['phone:phone'] });
  const restore = simulateTerminal(true);
  try {
    const typist = answerQueue({
      action: ['add', 'done'],
      fieldName: ['email', 'company'],
      fieldType: ['string'],
      fieldRules: [[]],
      goAhead: [true],
    });
    await run().cd(dir).withArguments(['User']).withAnswers(typist.answers, { callback: typist.callback });
    t.deepEqual(typist.left(), {}, 'every answer was used');
    t.deepEqual(typist.refused, [
      {
        name: 'fieldName',
        answer: 'email',
        message: `"email" is authentication's column of users: give the field another name`,
      },
    ]);
    t.false(typist.asked.includes('owned') || typist.asked.includes('protected') || typist.asked.includes('migration'));
    t.deepEqual(config(dir).users.fields, ['phone:phone', 'company:string']);
  } finally {
    restore();
  }
});

test.serial(
  'a project made before fastpy kept the users fields: those written by hand are read, an unedited model updated',
  async (t) => {
    const first = readFileSync(new URL('../fixtures/user-model-0.2.ts.txt', import.meta.url), 'utf8');
    t.is(checksum(first), USER_MODEL.firstChecksum, 'the fixture is the file fastpy 0.2 wrote');
    const older = (model: string) => {
      const dir = project();
      const rc = JSON.parse(read(dir, '.yo-rc.json'));
      delete rc['generator-fastpy'].users;
      writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify(rc, null, 2));
      writeFileSync(join(dir, USER_MODEL.file), model);
      rmSync(join(dir, '.fastpy'), { recursive: true });
      return dir;
    };
    // As 0.2 wrote it: updated like any file fastpy wrote.
    const unedited = older(first);
    await run()
      .cd(unedited)
      .withArguments(['User'])
      .withOptions({ field: ['phone:phone'], force: false });
    t.deepEqual(config(unedited).users.fields, ['phone:phone']);
    t.regex(read(unedited, USER_MODEL.file), /\{ name: 'phone', type: 'phone', rules: \{\} \}/);

    // With a field its owner added by hand (and its own migration): the field is kept, not added again.
    const handWritten = first
      .replace(
        "import type { FieldDefinition } from 'fastpy-runtime/fields';",
        "import { parseFieldSpec, type FieldDefinition } from 'fastpy-runtime/fields';",
      )
      .replace(
        'export const userFields: readonly FieldDefinition[] = [];',
        "export const userFields: readonly FieldDefinition[] = [\n  parseFieldSpec('phone:string:nullable,max:32'), // theirs\n];",
      );
    const edited = older(handWritten);
    const before = snapshot(edited);
    const { error } = await failing(
      run()
        .cd(edited)
        .withArguments(['User'])
        .withOptions({ field: ['age:integer'], force: false }),
    );
    t.regex(error.message, /src\/models\/user\.ts/, 'the owner edited it and no base is kept: a conflict, shown');
    t.deepEqual(snapshot(edited), before, 'nothing was written');
    await run()
      .cd(edited)
      .withArguments(['User'])
      .withOptions({ field: ['age:integer'], force: true });
    t.deepEqual(config(edited).users.fields, ['phone:string:nullable,max:32', 'age:integer']);
    const latest = userMigrations(edited).sort().at(-1)!;
    const up = read(edited, `src/database/migrations/${latest}`);
    t.regex(up, /add age/);
    t.notRegex(up, /'phone'/, 'its column exists already');
  },
);

test('userFieldsIn reads parseFieldSpec entries and names what it cannot read', (t) => {
  t.deepEqual(
    userFieldsIn(
      'export const userFields: readonly FieldDefinition[] = [\n  parseFieldSpec(\'phone:phone\'), /* x */\n  parseFieldSpec("age:integer:min:0"),\n];',
    ),
    ['phone:phone', 'age:integer:min:0'],
  );
  t.deepEqual(userFieldsIn('export const userFields = [];'), []);
  t.throws(() => userFieldsIn("export const userFields = [{ name: 'phone', type: 'phone', rules: {} }];"), {
    message: /userFields holds entries other than parseFieldSpec/,
  });
  t.throws(() => userFieldsIn('export const fields = [];'), { message: /has no `export const userFields/ });
  t.throws(() => userFieldsIn("export const userFields = [parseFieldSpec('Phone:phone')];"), {
    message: /Phone/,
  });
});
