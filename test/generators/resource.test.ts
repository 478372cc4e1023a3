// The resource generator run through yeoman-test inside a freshly generated project: the files it
// writes, idempotent wiring, answers from flags, --config or prompts, and bad input writing nothing.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import * as prettier from 'prettier';
import helpers from 'yeoman-test';
import AppGenerator from '../../generators/app/index.js';
import ResourceGenerator from '../../generators/resource/index.js';
import { ALL_TYPES_FIELDS } from '../helpers/fields.js';
import { OTHER_TABLE } from '../../lib/field-prompts.js';
import { answerQueue, failing, read, simulateTerminal, tree } from '../helpers/generators.js';
import { checksum } from '../../lib/generated-files.js';
import { RUNTIME_DIR, runtimeSources } from '../../lib/package.js';
import { VERSIONS } from '../../lib/versions.js';

const source = (name: string) => new URL(`../../generators/${name}/index.ts`, import.meta.url).pathname;
const runResource = () =>
  helpers.run<ResourceGenerator>(ResourceGenerator as never, {
    namespace: 'fastpy:resource',
    resolved: source('resource'),
  });

let skeleton: string;

test.before(async () => {
  const run = await helpers
    .run<AppGenerator>(AppGenerator as never, { namespace: 'fastpy:app', resolved: source('app') })
    .withArguments(['shop'])
    .withOptions({ yes: true, skipInstall: true });
  skeleton = mkdtempSync(join(tmpdir(), 'fastpy-skeleton-'));
  cpSync(join(run.cwd, 'shop'), skeleton, { recursive: true });
});

/** A resource run inside a copy of the generated project. */
const inProject = () => runResource().onTargetDirectory((dir) => cpSync(skeleton, dir, { recursive: true }));

/** A copy of the project that outlives one run (yeoman-test removes its own temporary folders). */
function ownProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fastpy-project-'));
  cpSync(skeleton, dir, { recursive: true });
  return dir;
}

/**
 * A project as versions before 0.2 made them: the runtime's sources copied into src/, no
 * fastpy-runtime dependency (what the resource generator reads to choose how files import it).
 */
function copiedRuntimeProject(): string {
  const dir = ownProject();
  for (const file of runtimeSources()) {
    mkdirSync(dirname(join(dir, 'src', file)), { recursive: true });
    cpSync(join(RUNTIME_DIR, file), join(dir, 'src', file));
  }
  const pkg = JSON.parse(read(dir, 'package.json'));
  delete pkg.dependencies['fastpy-runtime'];
  pkg.imports = { '#libs': './src/libs/index.ts' };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  return dir;
}

/** Runs the resource generator in `dir` on `name` with these options. */
const makeIn = (dir: string) => (name: string, options: Record<string, unknown>) =>
  runResource().cd(dir).withArguments([name]).withOptions(options);
const resources = (dir: string) => JSON.parse(read(dir, '.yo-rc.json'))['generator-fastpy'].resources;
/** Every file of a project with its text, to check that a run wrote nothing. */
const snapshot = (dir: string) => tree(dir).map((file) => [file, read(dir, file)]);

test.serial('-f -m -p writes every file of the resource and wires its routes and factory', async (t) => {
  const run = await inProject()
    .withArguments(['BlogPost'])
    .withOptions({ field: ['title:string:required,max:200', 'body:text'], migration: true, protected: true });
  const files = tree(run.cwd);
  for (const file of [
    'src/models/blog-post.ts',
    'src/repositories/blog-post-repository.ts',
    'src/services/blog-post-service.ts',
    'src/controllers/blog-post-controller.ts',
    'src/routes/blog-posts.ts',
    'src/factories/blog-post-factory.ts',
    'src/seeders/01_blog_posts.ts',
    'tests/blog-posts.test.ts',
  ]) {
    t.true(files.includes(file), file);
  }
  t.true(files.some((file) => /^src\/database\/migrations\/\d{14}_create_blog_posts_table\.ts$/.test(file)));
  t.regex(
    read(run.cwd, 'src/routes/index.ts'),
    /import \{ blogPostRoutes \} from '\.\/blog-posts\.js';[\s\S]*authRoutes,\n {2}blogPostRoutes,\n {2}\/\/ fastpy:routes/,
  );
  t.regex(
    read(run.cwd, 'src/factories/index.ts'),
    /blog_posts: blogPostFactory as FactoryBuilder,\n {4}\/\/ fastpy:factories/,
  );
  t.regex(read(run.cwd, 'src/routes/blog-posts.ts'), /prefix: '\/api\/blog-posts'/);
  t.regex(read(run.cwd, 'src/routes/blog-posts.ts'), /guard = requireAuth\(services\.auth\)/);
  t.like(resources(run.cwd).BlogPost, {
    fields: ['title:string:required,max:200', 'body:text'],
    protected: true,
    table: 'blog_posts',
  });
  t.is(resources(run.cwd).BlogPost.migrations.length, 1);
});

test.serial('running it again never duplicates a registration or a migration', async (t) => {
  const dir = ownProject();
  await runResource()
    .cd(dir)
    .withArguments(['Post'])
    .withOptions({ field: ['title:string'], migration: true });
  await runResource()
    .cd(dir)
    .withArguments(['Post'])
    .withOptions({ field: ['title:string'], migration: true });
  t.is(read(dir, 'src/routes/index.ts').match(/postRoutes/g)?.length, 2, 'one import, one entry');
  t.is(read(dir, 'src/factories/index.ts').match(/postFactory/g)?.length, 2);
  t.is(tree(dir).filter((file) => file.includes('create_posts_table')).length, 1);
});

test.serial(
  "what it writes is formatted as the project's Prettier settings say; run again, every file is unchanged",
  async (t) => {
    const dir = ownProject();
    writeFileSync(join(dir, '.prettierrc.json'), JSON.stringify({ semi: false, singleQuote: false, printWidth: 80 }));
    await runResource()
      .cd(dir)
      .withArguments(['Post'])
      .withOptions({ field: ['title:string:required,max:200', 'body:text'], migration: true, protected: true });
    const written = tree(dir).filter(
      (file) =>
        /(^|\/)(post|posts)[-._]|_posts_table|^src\/(routes|factories)\/index\.ts$/.test(file) &&
        file.endsWith('.ts') &&
        !file.startsWith('.fastpy/'),
    );
    t.true(written.length >= 10, written.join(', '));
    for (const file of written) {
      const path = join(dir, file);
      t.true(
        await prettier.check(read(dir, file), {
          ...(await prettier.resolveConfig(path, { useCache: false })),
          filepath: path,
        }),
        `${file} is as Prettier formats it there`,
      );
    }
    t.regex(
      read(dir, 'src/models/post.ts'),
      /import type \{ FieldDefinition \} from "fastpy-runtime\/fields"\n/,
      'double quotes, no semicolons',
    );
    const before = snapshot(dir);
    await runResource()
      .cd(dir)
      .withArguments(['Post'])
      .withOptions({ field: ['title:string:required,max:200', 'body:text'], migration: true, protected: true });
    t.deepEqual(snapshot(dir), before);
    // Its registrations, as Prettier printed them there, are found again to be removed.
    await runResource().cd(dir).withArguments(['Post']).withOptions({ remove: true, yes: true });
    t.notRegex(read(dir, 'src/routes/index.ts'), /postRoutes/);
    t.notRegex(read(dir, 'src/factories/index.ts'), /postFactory/);
  },
);

test.serial(
  'a foreign key gives the resource it points at a hasMany include and its contract test: learnt when the child is generated, kept, merged with edits, dropped with the child',
  async (t) => {
    const restore = simulateTerminal(false);
    try {
      const dir = ownProject();
      const controller = join(dir, 'src/controllers/post-controller.ts');
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({ field: ['title:string:required'], migration: true });
      t.notRegex(readFileSync(controller, 'utf8'), /hasMany/);
      // The owner's own line, apart from what fastpy changes: merged.
      writeFileSync(
        controller,
        readFileSync(controller, 'utf8').replace(
          'export class PostController',
          '// Posts: reviewed by the team.\nexport class PostController',
        ),
      );
      await runResource()
        .cd(dir)
        .withArguments(['Comment'])
        .withOptions({ field: ['body:text:required', 'post_id:integer:required,foreign:posts.id'], migration: true });
      const learnt = readFileSync(controller, 'utf8');
      t.regex(learnt, /import \{ Comment \} from '\.\.\/models\/comment\.js';/);
      t.regex(learnt, /comments: \{ kind: 'hasMany', field: 'id', column: 'post_id', model: Comment \}/);
      t.regex(learnt, /reviewed by the team/, "the owner's edit is kept");
      t.regex(learnt, /constructor\(\{ db, auth \}/);
      t.is(
        resources(dir).Post.checksums['src/controllers/post-controller.ts'],
        checksum(read(dir, '.fastpy/generated/src/controllers/post-controller.ts')),
        "the new output is Post's base",
      );
      t.false('src/controllers/post-controller.ts' in resources(dir).Comment.checksums);
      // Post's contract tests cover the include, creating comments with Comment's factory.
      t.regex(
        read(dir, 'tests/posts.test.ts'),
        /children: \{\s+comments: \{\s+model: Comment,\s+factory: commentFactory,\s+column: 'post_id',\s+nested: \{ path: 'comments', guarded: false \},?\s+\},?\s+\}/,
      );
      // Post's routes serve the comments of one post (GET|POST /api/posts/:id/comments), with the owner's edit kept.
      const routes = join(dir, 'src/routes/posts.ts');
      const nested = readFileSync(routes, 'utf8');
      t.regex(
        nested,
        /import \{ CommentController \} from '\.\.\/controllers\/comment-controller\.js';\nimport \{ Post \} from '\.\.\/models\/post\.js';/,
      );
      t.regex(
        nested,
        /const nestedComments = new CommentController\(services\)\.nested\(Post, 'post_id'\);\n\s+router\.get\('posts\.comments\.index', '\/:id\/comments', nestedComments\.index\);\n\s+router\.post\('posts\.comments\.store', '\/:id\/comments', nestedComments\.store\);/,
      );
      t.notRegex(nested, /requireAuth/, 'neither side is protected');
      writeFileSync(
        routes,
        nested.replace('export const postRoutes', '// Reports come next.\nexport const postRoutes'),
      );
      t.regex(
        read(dir, 'tests/posts.test.ts'),
        /import \{ commentFactory \} from '\.\.\/src\/factories\/comment-factory\.js';/,
      );
      // Post generated again: the relation stays; the child's table is named after it (two keys: by key).
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({ field: ['subtitle:string'] });
      t.regex(readFileSync(controller, 'utf8'), /comments: \{ kind: 'hasMany'/);
      await runResource()
        .cd(dir)
        .withArguments(['Comment'])
        .withOptions({ field: ['reply_to_id:integer:nullable,foreign:posts.id'] });
      t.regex(
        readFileSync(controller, 'utf8'),
        /comments_by_post: \{ kind: 'hasMany', field: 'id', column: 'post_id', model: Comment \},\n\s+comments_by_reply_to: \{ kind: 'hasMany', field: 'id', column: 'reply_to_id', model: Comment \}/,
      );
      t.regex(readFileSync(routes, 'utf8'), /'posts\.comments_by_post\.index', '\/:id\/comments-by-post'/);
      t.regex(readFileSync(routes, 'utf8'), /'posts\.comments_by_reply_to\.store', '\/:id\/comments-by-reply-to'/);
      t.regex(readFileSync(routes, 'utf8'), /Reports come next/);
      // Comment put behind the token with no field change: Post's nested routes of it follow.
      await runResource().cd(dir).withArguments(['Comment']).withOptions({ protected: true, yes: true });
      const guarded = readFileSync(routes, 'utf8');
      t.regex(guarded, /'posts\.comments_by_post\.index', '\/:id\/comments-by-post', guard, /);
      t.regex(guarded, /'posts\.comments_by_reply_to\.store', '\/:id\/comments-by-reply-to', guard, /);
      t.regex(guarded, /router\.get\('posts\.index', '\/', controller\.index\)/, "Post's own routes stay open");
      t.regex(read(dir, 'tests/posts.test.ts'), /nested: \{ path: 'comments-by-post', guarded: true \}/);
      t.regex(guarded, /Reports come next/);
      await runResource().cd(dir).withArguments(['Comment']).withOptions({ remove: true, yes: true });
      const dropped = readFileSync(controller, 'utf8');
      t.notRegex(dropped, /Comment|hasMany|relations/);
      t.regex(dropped, /reviewed by the team/);
      t.regex(dropped, /constructor\(\{ db \}/);
      t.notRegex(read(dir, 'tests/posts.test.ts'), /children|Comment/);
      t.notRegex(readFileSync(routes, 'utf8'), /Comment|nested/);
      t.regex(readFileSync(routes, 'utf8'), /Reports come next/);
    } finally {
      restore();
    }
  },
);

test.serial(
  'generated files import the runtime from fastpy-runtime; in a project with the runtime copied into src/, by relative path',
  async (t) => {
    const fields = ['title:string:required', 'author_id:integer:required,foreign:users.id'];
    const packaged = ownProject();
    await runResource()
      .cd(packaged)
      .withArguments(['Post'])
      .withOptions({ field: fields, migration: true, protected: true });
    const copied = copiedRuntimeProject();
    await runResource()
      .cd(copied)
      .withArguments(['Post'])
      .withOptions({ field: fields, migration: true, protected: true });
    const expected: Array<[string, RegExp, RegExp]> = [
      [
        'src/controllers/post-controller.ts',
        /import \{ ResourceController \} from 'fastpy-runtime\/http';/,
        /import \{ ResourceController \} from '\.\/resource-controller\.js';/,
      ],
      // The User model is the project's own (src/models/user.ts) in both.
      [
        'src/controllers/post-controller.ts',
        /import \{ User \} from '\.\.\/models\/user\.js';/,
        /import \{ User \} from '\.\.\/models\/user\.js';/,
      ],
      [
        'src/models/post.ts',
        /import type \{ FieldDefinition \} from 'fastpy-runtime\/fields';/,
        /import type \{ FieldDefinition \} from '\.\.\/fields\/spec\.js';/,
      ],
      [
        'src/routes/posts.ts',
        /import \{ requireAuth \} from 'fastpy-runtime\/auth';/,
        /import \{ requireAuth \} from '\.\.\/auth\/require-auth\.js';/,
      ],
      [
        'tests/posts.test.ts',
        /import \{ resourceContract \} from 'fastpy-runtime\/testing';/,
        /import \{ resourceContract \} from '\.\.\/src\/testing\/resource-contract\.js';/,
      ],
      [
        'tests/posts.test.ts',
        /import \{ User \} from '\.\.\/src\/models\/user\.js';/,
        /import \{ User \} from '\.\.\/src\/models\/user\.js';/,
      ],
    ];
    for (const [file, inPackage, inCopy] of expected) {
      t.regex(read(packaged, file), inPackage, file);
      t.regex(read(copied, file), inCopy, file);
    }
    const migration = (dir: string) =>
      read(
        dir,
        `src/database/migrations/${readdirSync(join(dir, 'src/database/migrations')).find((file) => file.includes('create_posts'))!}`,
      );
    t.regex(migration(packaged), /from 'fastpy-runtime\/database';/);
    t.regex(migration(copied), /from '\.\.\/schema\.js';/);
    // A project made before its User model was its own (no src/models/user.ts) imports the runtime's.
    const older = ownProject();
    rmSync(join(older, 'src/models/user.ts'));
    await runResource()
      .cd(older)
      .withArguments(['Post'])
      .withOptions({ field: fields, migration: true, protected: true });
    t.regex(read(older, 'src/controllers/post-controller.ts'), /import \{ User \} from 'fastpy-runtime\/database';/);
    t.regex(read(older, 'tests/posts.test.ts'), /import \{ User \} from 'fastpy-runtime\/database';/);
  },
);

test.serial(
  "a file or image field brings the runtime's uploads packages into package.json, once; a copied runtime has them already",
  async (t) => {
    const dir = ownProject();
    const deps = (project: string) => JSON.parse(read(project, 'package.json')).dependencies as Record<string, string>;
    t.false('@koa/multer' in deps(dir));
    /** A run in `dir`, with what it printed. */
    const printed = (fields: string[]) => printedRun(dir, 'Photo', { field: fields, migration: true });
    const first = await printed(['title:string', 'picture:image:nullable']);
    t.like(deps(dir), {
      '@koa/multer': VERSIONS['@koa/multer'],
      multer: VERSIONS.multer,
      'file-type': VERSIONS['file-type'],
    });
    t.regex(first, /update {2}package\.json/);
    t.regex(
      first,
      /Next:\n {2}npm install {7}\(file uploads: @koa\/multer@[\d.]+, file-type@[\d.]+, multer@[\d.]+\)\n {2}npm run migrate/,
    );
    t.notRegex(await printed(['caption:string']), /npm install/, 'the second run adds nothing, so asks for no install');
    const copied = copiedRuntimeProject();
    const before = read(copied, 'package.json');
    await runResource()
      .cd(copied)
      .withArguments(['Photo'])
      .withOptions({ field: ['picture:image:nullable'], migration: true });
    t.is(read(copied, 'package.json'), before);
  },
);

test.serial("a project whose runtime predates hasMany relations keeps its parents' files as they were", async (t) => {
  const dir = copiedRuntimeProject();
  const runtime = join(dir, 'src/controllers/resource-controller.ts');
  writeFileSync(runtime, readFileSync(runtime, 'utf8').replaceAll("'hasMany'", "'many'"));
  await runResource()
    .cd(dir)
    .withArguments(['Post'])
    .withOptions({ field: ['title:string:required'], migration: true });
  const before = read(dir, 'src/controllers/post-controller.ts');
  await runResource()
    .cd(dir)
    .withArguments(['Comment'])
    .withOptions({ field: ['body:text:required', 'post_id:integer:required,foreign:posts.id'], migration: true });
  t.is(read(dir, 'src/controllers/post-controller.ts'), before);
  t.notRegex(read(dir, 'tests/posts.test.ts'), /children/);
});

/** A resource run in `dir` with these options, and what it printed. */
async function printedRun(dir: string, name: string, options: Record<string, unknown>): Promise<string> {
  const logs: string[] = [];
  await runResource()
    .cd(dir)
    .withArguments([name])
    .withOptions(options)
    .onGenerator((generator) => {
      const self = generator as unknown as { log: (message: string) => void };
      const log = self.log.bind(generator);
      self.log = (message: string) => {
        logs.push(String(message));
        log(message);
      };
    });
  return logs.join('\n');
}

test.serial(
  '--owned: user_id is a column set apart from the fields; owning an existing resource adds it, --no-owned drops it',
  async (t) => {
    // No terminal: a run without fields changes only what its options say.
    const restore = simulateTerminal(false);
    try {
      const dir = ownProject();
      await runResource()
        .cd(dir)
        .withArguments(['Note'])
        .withOptions({ field: ['text:text:required'], migration: true, owned: true });
      const model = read(dir, 'src/models/note.ts');
      t.regex(model, /^ {2}owner: 'user_id',\n(?:.*\n)* {2}access: 'bearer',$/m);
      t.regex(model, /^ {2}user_id: number;$/m);
      t.notRegex(model, /name: 'user_id'/, 'not one of the fields: no body writes it');
      const create = readdirSync(join(dir, 'src/database/migrations')).find((file) => file.includes('create_notes'))!;
      t.regex(
        read(dir, `src/database/migrations/${create}`),
        /table\.integer\('user_id'\)\.unsigned\(\)\.notNullable\(\)\.index\(\)\.references\('id'\)\.inTable\('users'\);/,
      );
      t.like(resources(dir).Note, { fields: ['text:text:required'], owned: true, protected: true });
      t.regex(read(dir, 'src/routes/notes.ts'), /router\.get\('notes\.index', '\/', guard, controller\.index\)/);
      t.regex(read(dir, 'tests/notes.test.ts'), /token: \(user\) => accessToken\(db, user\),/);
      t.regex(read(dir, 'src/seeders/01_notes.ts'), /parents: 'existing'/, 'seeded notes go to the users there are');

      // Bad combinations stop the run, and nothing is written.
      const before = snapshot(dir);
      const clash = await failing(
        runResource()
          .cd(dir)
          .withArguments(['Memo'])
          .withOptions({ field: ['user_id:integer:required'], migration: true, owned: true }),
      );
      t.regex(clash.error.message, /Memo has a field user_id, and an owned resource keeps its owner in user_id/);
      const open = await failing(
        runResource()
          .cd(dir)
          .withArguments(['Memo'])
          .withOptions({ field: ['title:string'], migration: true, owned: true, protected: false }),
      );
      t.regex(open.error.message, /--owned and --no-protected cannot go together/);
      t.deepEqual(snapshot(dir), before);

      // A resource that exists becomes owned: a migration adds the column; its rows are no one's yet.
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({ field: ['title:string:required'], migration: true });
      const owning = await printedRun(dir, 'Post', { owned: true });
      t.regex(owning, /add {5}user_id: integer, required, index, → users\.id/);
      t.regex(owning, /rows already in posts get no owner \(user_id null\): only admins reach them until it is set/);
      t.like(resources(dir).Post, { owned: true, protected: true, fields: ['title:string:required'] });
      const alter = () =>
        readdirSync(join(dir, 'src/database/migrations'))
          .filter((file) => file.includes('alter_posts'))
          .map((file) => read(dir, `src/database/migrations/${file}`));
      t.regex(
        alter()[0]!,
        /table\.integer\('user_id'\)\.unsigned\(\)\.nullable\(\)\.index\(\)\.references\('id'\)\.inTable\('users'\)/,
      );
      t.regex(read(dir, 'src/models/post.ts'), /owner: 'user_id'/);
      // Generated again with its fields on the command line, it stays owned.
      t.is(
        (await printedRun(dir, 'Post', { field: ['title:string:required'] })).includes('user_id'),
        false,
        'nothing to change',
      );
      t.regex(read(dir, 'src/models/post.ts'), /owner: 'user_id'/);

      // Owned no more: dropping user_id loses data, so it needs the go-ahead.
      const refused = await failing(runResource().cd(dir).withArguments(['Post']).withOptions({ owned: false }));
      t.regex(refused.error.message, /drops user_id \(integer, required, index, → users\.id\): its values are deleted/);
      await runResource().cd(dir).withArguments(['Post']).withOptions({ owned: false, 'allow-data-loss': true });
      t.regex(alter()[1]!, /dropColumn\('user_id'\)/);
      t.false('owned' in resources(dir).Post);
      t.notRegex(read(dir, 'src/models/post.ts'), /owner/);
    } finally {
      restore();
    }
  },
);

test.serial(
  '--belongs-to-many: a pivot migration, the relation on both sides, tag_ids in the tests, seeded links; bad targets are refused',
  async (t) => {
    const restore = simulateTerminal(false);
    try {
      const dir = ownProject();
      const make = makeIn(dir);
      await make('Tag', { field: ['name:string:required'], migration: true });
      const before = snapshot(dir);
      for (const [options, message] of [
        [
          { 'belongs-to-many': ['Label'], migration: true },
          /there is no Label resource \(the project has Tag\); make it first/,
        ],
        [{ 'belongs-to-many': ['Post'], migration: true }, /Post cannot belong to many of itself/],
        [{ 'belongs-to-many': ['Tag'] }, /needs Post's table for the pivot's foreign key: pass -m/],
      ] as const) {
        const { error } = await failing(make('Post', { field: ['title:string:required'], ...options }));
        t.regex(error.message, message);
      }
      t.deepEqual(snapshot(dir), before, 'nothing written');

      await make('Post', { field: ['title:string:required'], migration: true, 'belongs-to-many': ['tag'] });
      t.deepEqual(resources(dir).Post.belongsToMany, ['Tag']);
      const migrations = readdirSync(join(dir, 'src/database/migrations'));
      const pivot = migrations.find((file) => file.endsWith('_create_post_tag_table.ts'))!;
      t.true(pivot > migrations.find((file) => file.endsWith('_create_posts_table.ts'))!, 'after both tables');
      t.true(resources(dir).Post.migrations.includes(pivot));
      t.regex(
        read(dir, `src/database/migrations/${pivot}`),
        /integer\('post_id'\)[^\n]*inTable\('posts'\)\.onDelete\('CASCADE'\);\n\s+table\.integer\('tag_id'\)[^\n]*inTable\('tags'\)\.onDelete\('CASCADE'\);\n\s+table\.primary\(\['post_id', 'tag_id'\]\);/,
      );
      t.regex(
        read(dir, 'src/controllers/post-controller.ts'),
        /tags: \{\n\s+kind: 'belongsToMany',[\s\S]*model: Tag,\n\s+pivot: \{ table: 'post_tag', key: 'post_id', relatedKey: 'tag_id' \},/,
      );
      t.regex(
        read(dir, 'src/controllers/tag-controller.ts'),
        /posts: \{\n\s+kind: 'belongsToMany',[\s\S]*model: Post,\n\s+pivot: \{ table: 'post_tag', key: 'tag_id', relatedKey: 'post_id' \},/,
        'the other side includes it back',
      );
      t.regex(
        read(dir, 'tests/posts.test.ts'),
        /links: \{ tag_ids: \{ model: Tag, factory: tagFactory, include: 'tags' \} \}/,
      );
      t.regex(
        read(dir, 'tests/tags.test.ts'),
        /links: \{ post_ids: \{ model: Post, factory: postFactory, include: 'posts' \} \}/,
      );
      t.regex(read(dir, 'src/seeders/02_posts.ts'), /await linkExisting\(knex, records, \{ table: 'post_tag'/);
      t.notRegex(read(dir, 'src/seeders/01_tags.ts'), /linkExisting/, 'one side seeds the links');

      // Again: nothing new.
      t.regex(
        await printedRun(dir, 'Post', { field: ['title:string:required'], 'belongs-to-many': ['Tag'] }),
        /^Post: table posts, 1 field, routes \/api\/posts; belongs to many Tag \(post_tag\)$/m,
      );
      t.is(readdirSync(join(dir, 'src/database/migrations')).filter((file) => file.includes('post_tag')).length, 1);
      const { error: reverse } = await failing(make('Tag', { 'belongs-to-many': ['Post'] }));
      t.regex(reverse.message, /Post already belongs to many Tag records through the same pivot table/);
    } finally {
      restore();
    }
  },
);

test.serial(
  '--remove-belongs-to-many: a migration drops the pivot, both sides lose the relation; asked to confirm; wrong links named',
  async (t) => {
    const restore = simulateTerminal(false);
    try {
      const dir = ownProject();
      const make = makeIn(dir);
      await make('Tag', { field: ['name:string:required'], migration: true });
      await make('Post', { field: ['title:string:required'], migration: true, 'belongs-to-many': ['Tag'] });
      const before = snapshot(dir);
      for (const [name, options, message] of [
        [
          'Post',
          { 'remove-belongs-to-many': ['Label'] },
          /^--remove-belongs-to-many Label: Post does not belong to many Label \(it belongs to many Tag\)\. Nothing was written\.$/,
        ],
        [
          'Tag',
          { 'remove-belongs-to-many': ['Post'] },
          /the link is Post's \(Post belongs to many Tag\): drop it there, with yo fastpy:resource Post --remove-belongs-to-many Tag\./,
        ],
        [
          'Post',
          { 'belongs-to-many': ['Tag'], 'remove-belongs-to-many': ['Tag'] },
          /a link cannot be added and dropped at once/,
        ],
        [
          'Post',
          { 'remove-belongs-to-many': ['Tag'] },
          /can lose data:\n {2}- drops the pivot table post_tag: every link between posts and tags is deleted \(Post no longer belongs to many Tag\)\nNo terminal is here to confirm it: pass --allow-data-loss/,
        ],
      ] as const) {
        const { error } = await failing(make(name, options));
        t.regex(error.message, message);
      }
      t.deepEqual(snapshot(dir), before, 'nothing written');

      t.regex(
        await printedRun(dir, 'Post', { 'remove-belongs-to-many': ['tag'], 'allow-data-loss': true }),
        /^Post: table posts, 1 field, routes \/api\/posts\n[\s\S]*create {5}src\/database\/migrations\/\d+_drop_post_tag_table\.ts[\s\S]*Next:\n {2}npm run migrate\n/m,
      );
      t.false('belongsToMany' in resources(dir).Post);
      const drop = readdirSync(join(dir, 'src/database/migrations')).find((file) =>
        file.endsWith('_drop_post_tag_table.ts'),
      )!;
      t.true(resources(dir).Post.migrations.includes(drop), "kept in the resource's history");
      const migration = read(dir, `src/database/migrations/${drop}`);
      t.regex(
        migration,
        /export async function up\(knex: Knex\): Promise<void> \{\n {2}await knex\.schema\.dropTableIfExists\('post_tag'\);\n\}/,
      );
      t.regex(
        migration,
        /export async function down[\s\S]*createTable\('post_tag'[\s\S]*table\.primary\(\['post_id', 'tag_id'\]\);/,
        'rolling back makes it again',
      );
      for (const file of [
        'src/controllers/post-controller.ts',
        'src/controllers/tag-controller.ts',
        'tests/posts.test.ts',
        'tests/tags.test.ts',
        'src/seeders/02_posts.ts',
      ])
        t.notRegex(read(dir, file), /belongsToMany|post_tag|tag_ids|post_ids|linkExisting/, file);
      // Unlinked, Tag can go.
      await make('Tag', { remove: true, yes: true });
      t.false('Tag' in resources(dir));
    } finally {
      restore();
    }
  },
);

test.serial(
  '--remove of a linked resource takes its pivots with it, dropped before its table; the others lose the relation',
  async (t) => {
    const restore = simulateTerminal(false);
    try {
      const dir = ownProject();
      const make = makeIn(dir);
      await make('Label', { field: ['name:string:required'], migration: true });
      await make('Tag', { field: ['name:string:required'], migration: true, 'belongs-to-many': ['Label'] });
      await make('Post', { field: ['title:string:required'], migration: true, 'belongs-to-many': ['Tag'] });
      const before = snapshot(dir);
      const { error } = await failing(make('Tag', { remove: true, force: false }));
      t.regex(
        error.message,
        /^Removing Tag deletes its files and would write a migration that drops tags \(its rows are deleted when you migrate\), and unlink Label, Post: the pivot tables label_tag, post_tag go with it \(their links are deleted\)\. No terminal is here to confirm: pass --yes/,
      );
      t.deepEqual(snapshot(dir), before, 'nothing written');

      const printed = await printedRun(dir, 'Tag', { remove: true, yes: true });
      const migrations = readdirSync(join(dir, 'src/database/migrations'));
      // By their stamps: the order they run in.
      const drops = migrations.filter((file) => file.includes('_drop_')).sort();
      t.deepEqual(
        drops.map((file) => file.replace(/^\d+_/, '')),
        ['drop_label_tag_table.ts', 'drop_post_tag_table.ts', 'drop_tags_table.ts'],
        'the pivots before the table their keys point at',
      );
      t.regex(printed, /npm run migrate {3}\(drops label_tag, post_tag, tags: their rows are deleted\)/);
      t.regex(read(dir, `src/database/migrations/${drops[0]}`), /dropTableIfExists\('label_tag'\)/);
      t.false('Tag' in resources(dir));
      t.false('belongsToMany' in resources(dir).Post, "Post's link to Tag is gone");
      t.true(resources(dir).Post.migrations.includes(drops[1]!), "the drop of its pivot is in Post's history");
      for (const file of [
        'src/controllers/post-controller.ts',
        'tests/posts.test.ts',
        'src/seeders/03_posts.ts',
        'src/controllers/label-controller.ts',
        'tests/labels.test.ts',
      ])
        t.notRegex(read(dir, file), /belongsToMany|post_tag|label_tag|tag_ids|tags/, file);
      t.false(existsSync(join(dir, 'src/controllers/tag-controller.ts')));
    } finally {
      restore();
    }
  },
);

test.serial(
  'a many-to-many added to an older resource is seeded by the newer side, whose rows exist by then',
  async (t) => {
    const restore = simulateTerminal(false);
    try {
      const dir = ownProject();
      const make = makeIn(dir);
      await make('Post', { field: ['title:string:required'], migration: true });
      await make('Tag', { field: ['name:string:required'], migration: true });
      await make('Post', { 'belongs-to-many': ['Tag'] });
      t.regex(
        read(dir, 'src/seeders/02_tags.ts'),
        /await linkExisting\(knex, records, \{ table: 'post_tag', key: 'tag_id', relatedKey: 'post_id' \}, 'posts'\);/,
      );
      t.notRegex(read(dir, 'src/seeders/01_posts.ts'), /linkExisting/, 'posts seed before there are tags');
      await make('Post', { 'remove-belongs-to-many': ['Tag'], 'allow-data-loss': true });
      t.notRegex(read(dir, 'src/seeders/02_tags.ts'), /linkExisting/);
    } finally {
      restore();
    }
  },
);

test.serial('the wizard asks which resources a new one belongs to many of', async (t) => {
  const dir = ownProject();
  await runResource()
    .cd(dir)
    .withArguments(['Tag'])
    .withOptions({ field: ['name:string:required'], migration: true });
  const restore = simulateTerminal(true);
  try {
    const typist = answerQueue({
      fieldName: ['title'],
      fieldType: ['string'],
      fieldRules: [['required']],
      action: ['done'],
      owned: [false],
      protected: [false],
      migration: [true],
      belongsToMany: [['Tag']],
      goAhead: [true],
    });
    await runResource().cd(dir).withArguments(['Post']).withAnswers(typist.answers, { callback: typist.callback });
    t.deepEqual(typist.left(), {}, 'every answer was used');
    t.true(typist.asked.indexOf('belongsToMany') > typist.asked.indexOf('migration'));
    t.deepEqual(resources(dir).Post.belongsToMany, ['Tag']);
    t.true(
      readdirSync(join(dir, 'src/database/migrations')).some((file) => file.endsWith('_create_post_tag_table.ts')),
    );

    // Run again, the link it has is ticked: unticked, its pivot is dropped once the loss is confirmed.
    const again = answerQueue({
      action: ['done'],
      owned: [false],
      protected: [false],
      belongsToMany: [[]],
      dataLoss: [true],
    });
    await runResource().cd(dir).withArguments(['Post']).withAnswers(again.answers, { callback: again.callback });
    t.deepEqual(again.left(), {}, 'every answer was used');
    t.false('belongsToMany' in resources(dir).Post);
    t.true(readdirSync(join(dir, 'src/database/migrations')).some((file) => file.endsWith('_drop_post_tag_table.ts')));
  } finally {
    restore();
  }
});

test.serial('a model takes its fields; where the copied runtime predates that, its casts as before', async (t) => {
  const fields = ['title:string:required', 'author_id:integer:required,foreign:users.id'];
  const current = copiedRuntimeProject();
  await runResource().cd(current).withArguments(['Post']).withOptions({ field: fields, migration: true });
  t.regex(read(current, 'src/models/post.ts'), /^ {2}fields: postFields,$/m);
  t.notRegex(read(current, 'src/models/post.ts'), /fieldCasts/);
  const older = copiedRuntimeProject();
  const model = join(older, 'src/models/base-model.ts');
  writeFileSync(model, readFileSync(model, 'utf8').replace('fields?: readonly FieldDefinition[]', 'columns?: never'));
  await runResource().cd(older).withArguments(['Post']).withOptions({ field: fields, migration: true });
  t.regex(read(older, 'src/models/post.ts'), /^import \{ fieldCasts \} from '\.\.\/fields\/spec\.js';$/m);
  t.regex(read(older, 'src/models/post.ts'), /^ {2}casts: fieldCasts\(postFields\),$/m);
});

test.serial(
  "a template of the project's that renders code that does not parse stops the run, naming the file, and nothing is written",
  async (t) => {
    const dir = ownProject();
    mkdirSync(join(dir, '.fastpy/templates/resource'), { recursive: true });
    writeFileSync(
      join(dir, '.fastpy/templates/resource/service.ts.ejs'),
      'export class <%= className %>Service extends {\n',
    );
    const before = snapshot(dir);
    const { error } = await failing(
      runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({ field: ['title:string'], migration: true }),
    );
    t.regex(
      error.message,
      /^fastpy's output for src\/services\/post-service\.ts does not parse \('\}' expected\. \(2:1\)\): if its template is one of yours under \.fastpy\/templates\/, mend it\. Nothing was written\.$/,
    );
    t.deepEqual(snapshot(dir), before);
  },
);

test.serial('with fields on the command line, absent -m and -p mean no', async (t) => {
  const run = await inProject()
    .withArguments(['Tag'])
    .withOptions({ field: ['name:slug:required,unique'] });
  t.false(tree(run.cwd).some((file) => file.includes('create_tags_table')));
  t.notRegex(read(run.cwd, 'src/routes/tags.ts'), /requireAuth/);
  t.like(resources(run.cwd).Tag, { protected: false, migrations: [] });
});

test.serial('fields and choices from --config', async (t) => {
  const run = await inProject()
    .withArguments(['Note'])
    .withOptions({ config: JSON.stringify({ fields: ['text:text:required'], protected: true, migration: true }) });
  t.like(resources(run.cwd).Note, { fields: ['text:text:required'], protected: true });
  t.regex(read(run.cwd, 'src/models/note.ts'), /\{ name: 'text', type: 'text', rules: \{ required: true \} \}/);
});

test.serial('the wizard asks for relations: "belongs to" picks a resource and writes its foreign key', async (t) => {
  const restore = simulateTerminal(true);
  try {
    const typist = answerQueue({
      resourceName: ['Note'],
      fieldName: ['title', 'user_id', 'user_id', 'author_id'],
      fieldType: ['string'],
      fieldRules: [['required']],
      relatedTable: ['users', 'users'],
      relationRequired: [true, false],
      action: ['relate', 'relate', 'done'],
      goAhead: [true],
      protected: [true],
      migration: [true],
    });
    const run = await inProject().withAnswers(typist.answers, { callback: typist.callback });
    // The second relation to the same table needs a name of its own, and may be empty.
    t.like(resources(run.cwd).Note, {
      fields: [
        'title:string:required',
        'user_id:integer:required,foreign:users.id',
        'author_id:integer:nullable,foreign:users.id',
      ],
    });
    t.deepEqual(typist.left(), {}, 'every answer was used');
    t.deepEqual(
      typist.refused.map(({ name, message }) => `${name}: ${message}`),
      ['fieldName: "user_id" is already a field'],
    );
    t.regex(read(run.cwd, 'src/models/note.ts'), /foreign: \{ table: 'users', column: 'id' \}/);
  } finally {
    restore();
  }
});

test.serial(
  'the first-run wizard: each answer checked where it is given, then a review to add, edit or remove',
  async (t) => {
    const restore = simulateTerminal(true);
    try {
      const typist = answerQueue({
        resourceName: ['9lives', 'Event'],
        fieldName: ['Title', 'title', 'title', 'author_id', 'active', 'headline'],
        fieldType: ['string', 'integer', 'boolean', 'string'],
        fieldRules: [['required', 'max'], ['foreign'], ['required', 'default'], ['default'], ['required', 'max']],
        max: ['abc', '0', '200', '120'],
        foreignTarget: [OTHER_TABLE],
        foreignTyped: ['authors.id', 'user.id', 'users.name', 'users.id'],
        default: ['maybe', 'true'],
        action: ['add', 'add', 'change', 'remove', 'done'],
        which: ['title', 'active'],
        goAhead: [true],
        protected: [true],
        migration: [true],
      });
      const run = await inProject().withAnswers(typist.answers, { callback: typist.callback });
      t.like(resources(run.cwd).Event, {
        fields: ['headline:string:required,max:120', 'author_id:integer:foreign:users.id'],
        protected: true,
      });
      t.deepEqual(typist.left(), {}, 'every answer was used');
      const refused = typist.refused.map(
        ({ name, answer, message }) => `${name} ${JSON.stringify(answer)}: ${message}`,
      );
      t.deepEqual(refused, [
        'resourceName "9lives": "9lives" is not a resource name: use letters and digits, e.g. Post or BlogPost',
        'fieldName "Title": field names are snake_case: lowercase letters, digits and _, starting with a letter (e.g. published_at)',
        'max "abc": rule "max" needs a number, got "abc"',
        'max "0": max:0 must be a whole number of characters ≥ 1',
        'fieldName "title": "title" is already a field',
        'foreignTyped "authors.id": the project has no table "authors"; tables: events, users',
        'foreignTyped "user.id": the project has no table "user" (did you mean "users"?); tables: events, users',
        'foreignTyped "users.name": users.name cannot be referenced: a foreign key points at id or a unique column (users.id, users.email)',
        'fieldRules ["required","default"]: "required" and "default" contradict each other: a required field is always sent, so the default would never apply',
        'default "maybe": default "maybe" is not a boolean (true or false)',
      ]);
    } finally {
      restore();
    }
  },
);

test.serial(
  'the wizard on an existing resource starts from its fields: add, change, rename, remove, then the plan and a confirmation',
  async (t) => {
    const restore = simulateTerminal(true);
    try {
      const dir = ownProject();
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({
          field: [
            'title:string:required,max:120',
            'body:text:nullable',
            'cover:image:nullable',
            'active:boolean:default:true',
          ],
          migration: true,
          protected: true,
        });
      const typist = answerQueue({
        action: ['add', 'rename', 'change', 'remove', 'done'],
        fieldName: ['views', 'content'],
        fieldType: ['integer', 'string'],
        fieldRules: [['default'], ['required', 'max']],
        default: ['0'],
        max: ['200'],
        which: ['body', 'title', 'cover'],
        dataLoss: [true],
        protected: [true],
      });
      await runResource().cd(dir).withArguments(['Post']).withAnswers(typist.answers, { callback: typist.callback });
      t.deepEqual(typist.left(), {});
      t.deepEqual(typist.refused, []);
      t.like(resources(dir).Post, {
        fields: [
          'title:string:required,max:200',
          'content:text:nullable',
          'active:boolean:default:true',
          'views:integer:default:0',
        ],
        protected: true,
      });
      const alter = read(
        dir,
        tree(dir).find((file) => /_alter_posts_table\.ts$/.test(file))!,
      );
      t.regex(alter, /renames body → content; drops cover; changes title; adds views/);
      t.regex(alter, /table\.renameColumn\('body', 'content'\)/);
      t.regex(alter, /table\.dropColumn\('cover'\)/);
      t.regex(alter, /table\.string\('title', 200\)\.notNullable\(\)\.alter\(\)/);
      t.regex(alter, /table\.integer\('views'\)\.notNullable\(\)\.defaultTo\(0\)/);
      t.false(alter.includes("dropColumn('active')"), 'a field left as it is keeps its column');
    } finally {
      restore();
    }
  },
);

test.serial('the change wizard: answering no to the data-loss question writes nothing', async (t) => {
  const restore = simulateTerminal(true);
  try {
    const dir = ownProject();
    await runResource()
      .cd(dir)
      .withArguments(['Post'])
      .withOptions({ field: ['title:string', 'cover:image:nullable'], migration: true });
    const before = snapshot(dir);
    const typist = answerQueue({ action: ['remove', 'done'], which: ['cover'], dataLoss: [false], protected: [false] });
    const { error } = await failing(
      runResource().cd(dir).withArguments(['Post']).withAnswers(typist.answers, { callback: typist.callback }),
    );
    t.regex(error.message, /Nothing was written; Post and its table are as they were/);
    t.deepEqual(snapshot(dir), before);
  } finally {
    restore();
  }
});

test.serial('bad field specs stop the run, naming every problem, and nothing is written', async (t) => {
  const { error, dir } = await failing(
    inProject()
      .withArguments(['Bad'])
      .withOptions({ field: ['Title:strin', 'x:integer:required,nullable', 'ok:string'], migration: true }),
  );
  t.regex(error.message, /field "Title": field names are snake_case/);
  t.regex(error.message, /unknown type "strin" \(did you mean "string"\?\)/);
  t.regex(error.message, /field "x": "required" and "nullable" contradict/);
  t.regex(error.message, /Nothing was written\.$/);
  t.deepEqual(tree(dir), tree(skeleton));
});

test.serial('without fields and without a terminal it stops, naming -f', async (t) => {
  const restore = simulateTerminal(false);
  try {
    const { error } = await failing(inProject().withArguments(['Empty']));
    t.regex(error.message, /No fields for Empty: pass them with -f name:type\[:rules\]/);
  } finally {
    restore();
  }
});

test.serial(
  'on an existing resource, -f adds or changes fields and every other field stays, with its protection',
  async (t) => {
    const restore = simulateTerminal(false);
    try {
      const dir = ownProject();
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({
          field: ['title:string:required', 'body:text', 'active:boolean:default:true'],
          migration: true,
          protected: true,
        });
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({ field: ['views:integer:default:0', 'title:string:required,max:300'] });
      t.like(resources(dir).Post, {
        fields: [
          'title:string:required,max:300',
          'body:text',
          'active:boolean:default:true',
          'views:integer:default:0',
        ],
        protected: true,
      });
      const alter = read(
        dir,
        tree(dir).find((file) => /_alter_posts_table\.ts$/.test(file))!,
      );
      t.regex(alter, /changes title; adds views/);
      t.notRegex(alter, /dropColumn\('(body|active)'\)/, 'fields left out keep their columns');
      t.regex(read(dir, 'src/routes/posts.ts'), /requireAuth/, 'still protected without -p');
      t.is(resources(dir).Post.migrations.length, 2);
    } finally {
      restore();
    }
  },
);

test.serial(
  'with no fields and no terminal, an existing resource is generated again from its stored fields (a default of true included), its table left as it is',
  async (t) => {
    const restore = simulateTerminal(false);
    try {
      const dir = ownProject();
      await runResource()
        .cd(dir)
        .withArguments(['Flag'])
        .withOptions({ field: ['on:boolean:default:true', 'label:string'], migration: true });
      t.deepEqual(resources(dir).Flag.fields, ['on:boolean:default:true', 'label:string']);
      writeFileSync(join(dir, 'src/controllers/flag-controller.ts'), '// lost by accident\n');
      await runResource().cd(dir).withArguments(['Flag']).withOptions({ force: false });
      t.deepEqual(resources(dir).Flag.fields, ['on:boolean:default:true', 'label:string']);
      t.is(resources(dir).Flag.migrations.length, 1, 'no migration');
      t.regex(read(dir, 'src/models/flag.ts'), /rules: \{ default: true \}/);
    } finally {
      restore();
    }
  },
);

test.serial(
  '--rename-field renames the column; --remove-field without a terminal needs --allow-data-loss and writes nothing until then',
  async (t) => {
    const restore = simulateTerminal(false);
    try {
      const dir = ownProject();
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({ field: ['title:string:required', 'body:text', 'cover:image:nullable'], migration: true });
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({ 'rename-field': ['body:content'] });
      t.deepEqual(resources(dir).Post.fields, ['title:string:required', 'content:text', 'cover:image:nullable']);
      t.regex(
        read(
          dir,
          tree(dir)
            .filter((file) => /_alter_posts_table\.ts$/.test(file))
            .at(-1)!,
        ),
        /table\.renameColumn\('body', 'content'\)[\s\S]*table\.renameColumn\('content', 'body'\)/,
      );
      const before = snapshot(dir);
      const { error } = await failing(
        runResource()
          .cd(dir)
          .withArguments(['Post'])
          .withOptions({ 'remove-field': ['cover'] }),
      );
      t.is((error as { errorCode?: string }).errorCode, 'E_DATA_LOSS');
      t.regex(
        error.message,
        /This change to posts can lose data:\n {2}- drops cover \(image, string\(2048\), nullable\): its values are deleted\nNo terminal is here to confirm it: pass --allow-data-loss to go ahead/,
      );
      t.deepEqual(snapshot(dir), before, 'nothing written');
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({ 'remove-field': ['cover'], 'allow-data-loss': true });
      t.deepEqual(resources(dir).Post.fields, ['title:string:required', 'content:text']);
      t.regex(
        read(
          dir,
          tree(dir)
            .filter((file) => /_alter_posts_table\.ts$/.test(file))
            .at(-1)!,
        ),
        /dropColumn\('cover'\)/,
      );
    } finally {
      restore();
    }
  },
);

test.serial(
  'bad changes stop before anything is written: unknown fields, a missing foreign table, no name, a change to a resource that does not exist',
  async (t) => {
    const restore = simulateTerminal(false);
    try {
      const dir = ownProject();
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({ field: ['title:string'], migration: true });
      const before = snapshot(dir);
      const expect = async (options: Record<string, unknown>, pattern: RegExp, args = ['Post']) => {
        const { error } = await failing(runResource().cd(dir).withArguments(args).withOptions(options));
        t.regex(error.message, pattern);
        t.deepEqual(snapshot(dir), before);
      };
      await expect(
        { 'remove-field': ['titel'] },
        /--remove-field titel: there is no field "titel" \(did you mean "title"\?\)/,
      );
      await expect({ 'rename-field': ['title'] }, /--rename-field "title": write it as old_name:new_name/);
      await expect(
        { field: ['author_id:integer:foreign:authors.id'] },
        /foreign:authors\.id: the project has no table "authors"; tables: posts, users\nNothing was written\./,
      );
      await expect(
        { 'remove-field': ['title'], 'allow-data-loss': true },
        /a resource needs at least one field: this change would remove them all \(remove the resource with --remove instead\)/,
      );
      await expect(
        { 'remove-field': ['x'] },
        /There is no Tag resource yet: --remove-field and --rename-field change an existing one/,
        ['Tag'],
      );
      await expect(
        { field: ['x:string'] },
        /Name the resource: yo fastpy:resource <Name> \(singular, e\.g\. Post or BlogPost\); the project has Post/,
        [],
      );
    } finally {
      restore();
    }
  },
);

test.serial('outside a fastpy project it refuses to run', async (t) => {
  const { error, dir } = await failing(
    runResource()
      .withArguments(['Post'])
      .withOptions({ field: ['title:string'] }),
  );
  t.regex(error.message, /runs inside a fastpy project/);
  t.deepEqual(readdirSync(dir), []);
});

test.serial('bad or built-in resource names are refused (User: see user-fields.test.ts)', async (t) => {
  t.regex(
    (
      await failing(
        inProject()
          .withArguments(['RefreshToken'])
          .withOptions({ field: ['x:string'] }),
      )
    ).error.message,
    /"RefreshToken" is built in/,
  );
  t.regex(
    (
      await failing(
        inProject()
          .withArguments(['9lives'])
          .withOptions({ field: ['x:string'] }),
      )
    ).error.message,
    /is not a resource name/,
  );
});

test.serial('files nobody edited are updated when the fields change, without asking', async (t) => {
  const restore = simulateTerminal(false);
  try {
    const dir = ownProject();
    await runResource()
      .cd(dir)
      .withArguments(['Post'])
      .withOptions({ field: ['title:string'], migration: true });
    await runResource()
      .cd(dir)
      .withArguments(['Post'])
      .withOptions({ field: ['body:text'], force: false });
    t.regex(read(dir, 'src/models/post.ts'), /name: 'body'/);
    t.deepEqual(resources(dir).Post.fields, ['title:string', 'body:text']);
  } finally {
    restore();
  }
});

test.serial('an edited file whose generated output did not change is kept, with no question', async (t) => {
  const restore = simulateTerminal(false);
  try {
    const dir = ownProject();
    await runResource()
      .cd(dir)
      .withArguments(['Post'])
      .withOptions({ field: ['title:string'], migration: true });
    const service = join(dir, 'src/services/post-service.ts');
    writeFileSync(service, `${readFileSync(service, 'utf8')}\n// my own business rule\n`);
    await runResource()
      .cd(dir)
      .withArguments(['Post'])
      .withOptions({ field: ['body:text'] });
    t.regex(readFileSync(service, 'utf8'), /my own business rule/);
    t.regex(read(dir, 'src/models/post.ts'), /name: 'body'/);
    t.deepEqual(resources(dir).Post.fields, ['title:string', 'body:text']);
  } finally {
    restore();
  }
});

test.serial(
  'an edited file fastpy changes too is merged when the changes are apart, and a conflict when they overlap',
  async (t) => {
    const restore = simulateTerminal(false);
    try {
      const dir = ownProject();
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({ field: ['title:string'], migration: true });
      const model = join(dir, 'src/models/post.ts');
      // Apart: a line of the owner's at the top; fastpy adds a field further down.
      writeFileSync(model, `// reviewed by the team\n${readFileSync(model, 'utf8')}`);
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({ field: ['body:text'] });
      t.regex(readFileSync(model, 'utf8'), /^\/\/ reviewed by the team\n[\s\S]*name: 'body'/);
      t.false(readFileSync(model, 'utf8').includes('<<<<<<<'));
      // Overlapping: the owner edits the field list where fastpy changes it.
      writeFileSync(
        model,
        readFileSync(model, 'utf8').replace(
          "  { name: 'body', type: 'text', rules: {} },",
          "  { name: 'body', type: 'text', rules: {} }, // the article's text",
        ),
      );
      const before = snapshot(dir);
      // yeoman-test passes --force unless told otherwise.
      const { error } = await failing(
        runResource()
          .cd(dir)
          .withArguments(['Post'])
          .withOptions({ field: ['body:text:nullable'], force: false }),
      );
      t.regex(
        error.message,
        /src\/models\/post\.ts[\s\S]*Run in a terminal to decide file by file[\s\S]*--force[\s\S]*Nothing was written/,
      );
      t.deepEqual(
        snapshot(dir),
        before,
        'no file written: no alter migration, the model as it was, .yo-rc.json unchanged',
      );
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({ field: ['body:text:nullable'], force: true });
      t.notRegex(readFileSync(model, 'utf8'), /the article's text/);
      t.notRegex(
        readFileSync(model, 'utf8'),
        /reviewed by the team/,
        "--force takes fastpy's version of the conflicting file, all of it",
      );
      t.regex(readFileSync(model, 'utf8'), /rules: \{ nullable: true \}/);
    } finally {
      restore();
    }
  },
);

test.serial('a conflict on a terminal shows both sides and can be written with conflict markers', async (t) => {
  const dir = ownProject();
  // Two fields: Prettier puts a list of one short object on one line, and a longer list one per line.
  await runResource()
    .cd(dir)
    .withArguments(['Post'])
    .withOptions({ field: ['title:string', 'body:text'], migration: true });
  const model = join(dir, 'src/models/post.ts');
  writeFileSync(
    model,
    readFileSync(model, 'utf8').replace(
      "  { name: 'title', type: 'string', rules: {} },",
      "  { name: 'title', type: 'string', rules: {} }, // shown in lists",
    ),
  );
  const restore = simulateTerminal(true);
  try {
    const typist = answerQueue({ resolution: ['marked'] });
    await runResource()
      .cd(dir)
      .withArguments(['Post'])
      .withOptions({ field: ['title:string:index'], force: false })
      .withAnswers(typist.answers, { callback: typist.callback });
    t.deepEqual(typist.asked, ['resolution']);
    const text = readFileSync(model, 'utf8');
    t.regex(
      text,
      /<<<<<<< yours\n {2}\{ name: 'title', type: 'string', rules: \{\} \}, \/\/ shown in lists\n=======\n {2}\{ name: 'title', type: 'string', rules: \{ index: true \} \},\n>>>>>>> fastpy/,
    );
  } finally {
    restore();
  }
});

test.serial('a resource with all 22 types renders as its snapshot', async (t) => {
  const run = await inProject()
    .withArguments(['Article'])
    .withOptions({ field: ALL_TYPES_FIELDS, migration: true, protected: true });
  const migration = tree(run.cwd).find((file) => file.includes('create_articles_table'))!;
  t.true(existsSync(join(run.cwd, migration)));
  for (const file of [
    'src/models/article.ts',
    migration,
    'src/routes/articles.ts',
    'src/controllers/article-controller.ts',
    'src/factories/article-factory.ts',
    'src/seeders/01_articles.ts',
    'tests/articles.test.ts',
  ]) {
    t.snapshot(read(run.cwd, file), file.replace(/\d{14}/, '<stamp>'));
  }
});

test.serial(
  'a migration that changes a table renders as its snapshot: renames with their keys, a drop, changes, a required column checked first, an add',
  async (t) => {
    const restore = simulateTerminal(false);
    try {
      const dir = ownProject();
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({
          field: [
            'title:string:required,max:120',
            'slug:slug:required,unique',
            'body:text:nullable',
            'cover:image:nullable',
            'status:string:nullable',
            'note:string:nullable',
            'owner_id:integer:foreign:users.id',
          ],
          migration: true,
        });
      await runResource()
        .cd(dir)
        .withArguments(['Post'])
        .withOptions({
          'rename-field': ['slug:handle', 'note:remark'],
          'remove-field': ['cover'],
          field: [
            'title:string:required,max:200',
            'status:string:default:draft',
            'remark:string:required',
            'owner_id:integer:nullable',
            'views:integer:default:0',
          ],
          'allow-data-loss': true,
        });
      const alter = tree(dir).find((file) => /_alter_posts_table\.ts$/.test(file))!;
      t.snapshot(read(dir, alter), 'src/database/migrations/<stamp>_alter_posts_table.ts');
    } finally {
      restore();
    }
  },
);

test.serial('--dry-run lists what would change and changes nothing', async (t) => {
  const dir = ownProject();
  await runResource()
    .cd(dir)
    .withArguments(['Post'])
    .withOptions({ field: ['title:string'], migration: true });
  const before = tree(dir).map((file) => [file, read(dir, file)]);
  await runResource()
    .cd(dir)
    .withArguments(['Post'])
    .withOptions({ field: ['body:text'], 'dry-run': true });
  t.deepEqual(
    tree(dir).map((file) => [file, read(dir, file)]),
    before,
  );
  const fresh = await runResource()
    .cd(ownProject())
    .withArguments(['Tag'])
    .withOptions({ field: ['name:string'], migration: true, 'dry-run': true });
  t.false(
    tree(fresh.cwd).some((file) => file.includes('tag')),
    'a dry run of a new resource writes nothing either',
  );
});

test.serial('--remove deletes the files and registrations and writes a migration dropping the table', async (t) => {
  const dir = ownProject();
  await runResource()
    .cd(dir)
    .withArguments(['Post'])
    .withOptions({ field: ['title:string:required'], migration: true });
  await runResource()
    .cd(dir)
    .withArguments(['Comment'])
    .withOptions({ field: ['post_id:integer:required,foreign:posts.id'], migration: true });
  const refused = await t.throwsAsync(
    runResource().cd(dir).withArguments(['Post']).withOptions({ remove: true, yes: true }),
  );
  t.regex(refused.message, /Cannot remove Post: Comment\.post_id refers to its table posts/);
  await runResource().cd(dir).withArguments(['Comment']).withOptions({ remove: true, yes: true });
  const files = tree(dir);
  t.false(files.some((file) => /comment/.test(file) && !file.startsWith('src/database/migrations/')));
  t.true(files.some((file) => /_drop_comments_table\.ts$/.test(file)));
  t.regex(
    read(
      dir,
      files.find((file) => /_drop_comments_table\.ts$/.test(file))!,
    ),
    /dropTableIfExists\('comments'\)[\s\S]*createTable\('comments'/,
  );
  t.notRegex(read(dir, 'src/routes/index.ts'), /comment/i);
  t.notRegex(read(dir, 'src/factories/index.ts'), /comment/i);
  t.false('Comment' in resources(dir));
  t.true('Post' in resources(dir));
});

test.serial('--remove without a terminal needs --yes, and an edited file needs --force', async (t) => {
  const restore = simulateTerminal(false);
  try {
    const dir = ownProject();
    await runResource()
      .cd(dir)
      .withArguments(['Post'])
      .withOptions({ field: ['title:string'], migration: true });
    const unconfirmed = await t.throwsAsync(
      runResource().cd(dir).withArguments(['Post']).withOptions({ remove: true, force: false }),
    );
    t.regex(unconfirmed.message, /pass --yes to go ahead/);
    writeFileSync(join(dir, 'src/services/post-service.ts'), '// mine\n');
    const edited = await t.throwsAsync(
      runResource().cd(dir).withArguments(['Post']).withOptions({ remove: true, yes: true, force: false }),
    );
    t.regex(edited.message, /src\/services\/post-service\.ts[\s\S]*--force/);
    t.true(existsSync(join(dir, 'src/models/post.ts')), 'nothing removed');
  } finally {
    restore();
  }
});
