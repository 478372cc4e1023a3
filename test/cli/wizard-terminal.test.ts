// The field wizards in a real terminal (tmux), typed at as a person would: the first run of a resource
// (no name given, bad answers refused where they are typed, then add / edit / remove in the review), and
// the change wizard on a resource that exists (add, change, rename, remove, then the plan and a confirmation).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { fastpy } from '../helpers/cli.js';
import { hasTmux, Terminal } from '../helpers/terminal.js';

const BIN = new URL('../../bin/fastpy.js', import.meta.url).pathname;
const requireTmux = process.env.FASTPY_REQUIRE_TMUX === '1';
const maybe = hasTmux() || requireTmux ? test.serial : test.serial.skip;

const resources = (dir: string) =>
  JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-fastpy'].resources;

function newProject(name: string): string {
  const created = fastpy(['new', name, '--yes', '--skip-install']);
  if (created.status !== 0) throw new Error(created.stderr);
  return join(created.cwd, name);
}

maybe(
  'first run: the name is asked for, each bad answer is refused where it is typed, the review adds, edits and removes fields, then owned records are chosen',
  async (t) => {
    const dir = newProject('wizard-new');
    const terminal = new Terminal(`node ${BIN} make:resource`, dir);
    t.teardown(() => terminal.close());
    await terminal.waitFor('Resource name');
    await terminal.type('9lives');
    await terminal.waitFor('"9lives" is not a resource name');
    await terminal.press('C-u');
    await terminal.type('Post');

    await terminal.waitFor('Field name (snake_case)');
    await terminal.type('Title');
    await terminal.waitFor('field names are snake_case');
    await terminal.press('C-u');
    await terminal.type('title');
    await terminal.select('Type of title', 'string');
    await terminal.check('Rules for title (string)', ['required', 'max']);
    await terminal.waitFor('Value for max');
    await terminal.type('abc');
    await terminal.waitFor('rule "max" needs a number, got "abc"');
    await terminal.press('C-u');
    await terminal.type('200');

    await terminal.select('? Next', 'Add another field');
    await terminal.waitFor('? Field name');
    await terminal.type('body');
    await terminal.select('Type of body', 'text');
    await terminal.check('Rules for body (text)', ['nullable']);

    await terminal.select('? Next', 'Edit a field');
    await terminal.select('Which field do you want to change?', 'title:string');
    await terminal.waitFor('? Field name');
    await terminal.type(''); // keeps the name
    await terminal.select('Type of title', 'string');
    await terminal.check('Rules for title (string)', []);
    await terminal.waitFor('Value for max');
    await terminal.press('C-u');
    await terminal.type('150');

    await terminal.select('? Next', 'Remove a field');
    await terminal.select('Which field do you want to remove?', 'body:text');
    await terminal.select('? Next', 'Done');
    await terminal.waitFor('Do its records belong to the user who creates them?');
    await terminal.type('y');
    // Owned records are behind the token: protection is not asked.
    await terminal.waitFor('Write the migration that creates the table?');
    t.notRegex(terminal.screen(), /Protect every route/);
    await terminal.type('');
    await terminal.waitFor('Post will be written like this:');
    await terminal.waitFor('? Go ahead?');
    await terminal.type('');
    const { code, screen } = await terminal.exit();
    t.is(code, 0, screen);
    t.deepEqual(resources(dir).Post.fields, ['title:string:required,max:150']);
    t.like(resources(dir).Post, { owned: true, protected: true });
    t.regex(readFileSync(join(dir, 'src/models/post.ts'), 'utf8'), /owner: 'user_id'/);
    t.regex(
      readFileSync(join(dir, 'src/models/post.ts'), 'utf8'),
      /\{ name: 'title', type: 'string', rules: \{ required: true, max: 150 \} \}/,
    );
  },
);

maybe(
  'change wizard: the stored fields are listed; add, change, rename and remove; the plan names the dropped column and waits for a yes',
  async (t) => {
    const dir = newProject('wizard-change');
    const made = fastpy(
      [
        'make:resource',
        'Post',
        '-f',
        'title:string:required,max:120',
        '-f',
        'body:text:nullable',
        '-f',
        'cover:image:nullable',
        '-m',
      ],
      dir,
    );
    t.is(made.status, 0, made.stderr);
    const terminal = new Terminal(`node ${BIN} make:resource Post`, dir);
    t.teardown(() => terminal.close());
    await terminal.waitFor('Post has 3 fields');
    t.regex(
      terminal.screen(),
      /1\. title:string:required,max:120\n\s+2\. body:text:nullable\n\s+3\. cover:image:nullable/,
    );

    await terminal.select('? Next', 'Add a field');
    await terminal.waitFor('? Field name');
    await terminal.type('views');
    await terminal.select('Type of views', 'integer');
    await terminal.check('Rules for views (integer)', ['default']);
    await terminal.waitFor('Default value');
    await terminal.type('many');
    await terminal.waitFor('default "many" is not a 32-bit integer');
    await terminal.press('C-u');
    await terminal.type('0');

    await terminal.select('? Next', 'Change a field');
    await terminal.select('Which field do you want to change?', 'title:string');
    await terminal.select('Type of title', 'string');
    await terminal.check('Rules for title (string)', []);
    await terminal.waitFor('Value for max');
    await terminal.press('C-u');
    await terminal.type('300');

    await terminal.select('? Next', 'Rename a field');
    await terminal.select('Which field do you want to rename?', 'body:text');
    await terminal.waitFor('New name for body');
    await terminal.press('C-u');
    await terminal.type('content');

    await terminal.select('? Next', 'Remove a field');
    await terminal.select('Which field do you want to remove?', 'cover:image');
    await terminal.select('? Next', 'Done: show what will change');
    await terminal.waitFor('Do its records belong to the user who creates them?');
    await terminal.type('');
    await terminal.waitFor('Protect every route with a bearer token?');
    await terminal.type('');
    const plan = await terminal.waitFor('Go ahead and drop cover?');
    t.regex(plan, /rename {2}body → content \(text, nullable\): the values stay/);
    t.regex(plan, /drop {4}cover \(image, string\(2048\), nullable\): its values are deleted/);
    t.regex(plan, /change {2}title: string\(120\), required → string\(300\), required/);
    t.regex(plan, /add {5}views: integer, default 0/);
    await terminal.type('y');
    const { code, screen } = await terminal.exit();
    t.is(code, 0, screen);
    t.deepEqual(resources(dir).Post.fields, [
      'title:string:required,max:300',
      'content:text:nullable',
      'views:integer:default:0',
    ]);
    const alter = readdirSync(join(dir, 'src/database/migrations')).find((file) =>
      file.endsWith('_alter_posts_table.ts'),
    )!;
    t.regex(
      readFileSync(join(dir, 'src/database/migrations', alter), 'utf8'),
      /renameColumn\('body', 'content'\)[\s\S]*dropColumn\('cover'\)[\s\S]*string\('title', 300\)[\s\S]*integer\('views'\)/,
    );
  },
);
