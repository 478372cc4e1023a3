// `fastpy eject <part>`: one part of the runtime becomes the project's own — copied into src/, the
// project's imports pointed at it, the generators importing it from then on, update leaving it be.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import test from 'ava';
import { eject, ejectableParts, exportedNames, partPath, pointImportsAt } from '../../lib/eject.js';
import { PACKAGE_VERSION } from '../../lib/package.js';
import { planUpdate } from '../../lib/runtime-update.js';
import { fastpy } from '../helpers/cli.js';
import { linkProjectDependencies } from '../helpers/project-deps.js';

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

test('the names a module exports, and imports of them moved to the copy', (t) => {
  t.deepEqual(
    [
      ...exportedNames(
        'export class A {}\nexport interface B {}\nexport const c = 1;\nexport async function d() {}\nexport type E = 1;\nconst f = 2;\nexport { f, g as h };\n',
      ),
    ].sort(),
    ['A', 'B', 'E', 'c', 'd', 'f', 'h'],
  );
  const names = new Set(['ResourceController', 'Relation']);
  t.is(
    pointImportsAt(
      "import { NotFoundException, ResourceController, type Relation } from 'fastpy-runtime/http';\nimport { x } from 'y';\n",
      'src/controllers/post-controller.ts',
      'controllers/resource-controller',
      names,
      ['fastpy-runtime/http'],
    ),
    "import { NotFoundException } from 'fastpy-runtime/http';\nimport { ResourceController, type Relation } from './resource-controller.js';\nimport { x } from 'y';\n",
  );
  t.is(
    pointImportsAt(
      "import type { Relation } from 'fastpy-runtime/http';\n",
      'tests/posts.test.ts',
      'controllers/resource-controller',
      names,
      ['fastpy-runtime/http'],
    ),
    "import type { Relation } from '../src/controllers/resource-controller.js';\n",
  );
  t.is(
    pointImportsAt(
      "import { sendSuccess } from 'fastpy-runtime/http';\n",
      'src/a.ts',
      'controllers/resource-controller',
      names,
      ['fastpy-runtime/http'],
    ),
    "import { sendSuccess } from 'fastpy-runtime/http';\n",
    'nothing of the part: unchanged',
  );
});

test.serial(
  'an ejected ResourceController is the one the project and its new resources use; update leaves it; the project passes its checks',
  (t) => {
    const made = fastpy(['new', 'eject-api', '--yes', '--skip-install', '--skip-git']);
    t.is(made.status, 0, made.stderr);
    const dir = join(made.cwd, 'eject-api');
    t.is(fastpy(['make:resource', 'Post', '-f', 'title:string:required', '-m'], dir).status, 0);

    const ejected = fastpy(['eject', 'controllers/resource-controller'], dir);
    t.is(ejected.status, 0, ejected.stderr);
    t.regex(
      ejected.stdout,
      /^controllers\/resource-controller is yours: src\/controllers\/resource-controller\.ts\nimports pointed at it: src\/controllers\/post-controller\.ts\n/,
    );
    const copy = read(dir, 'src/controllers/resource-controller.ts');
    t.regex(
      copy,
      new RegExp(
        `^// Ejected from fastpy-runtime ${PACKAGE_VERSION.replace(/\./g, '\\.')} \\(fastpy eject controllers/resource-controller\\)`,
      ),
    );
    t.regex(copy, /export class ResourceController/);
    t.notRegex(copy, /from '\.\.?\//, "its imports of the runtime's other parts are the package's");
    t.regex(
      read(dir, 'src/controllers/post-controller.ts'),
      /import \{ ResourceController \} from '\.\/resource-controller\.js';/,
    );
    t.deepEqual(JSON.parse(read(dir, '.yo-rc.json'))['generator-fastpy'].ejected, ['controllers/resource-controller']);
    t.regex(
      ejected.stdout,
      /^The runtime's own code keeps its part; yours is what your code and fastpy's generators import\.$/m,
    );
    t.regex(
      fastpy(['eject', '--list'], dir).stdout,
      /^controllers\/resource-controller {3}\(ejected: src\/controllers\/resource-controller\.ts\)$/m,
    );

    // A facade the runtime's own code uses: auth's e-mails go through the copy (the project's tests
    // below fake it and see them), and the import of it beside another is one statement.
    const mail = fastpy(['eject', 'libs/mail'], dir);
    t.is(mail.status, 0, mail.stderr);
    t.regex(
      mail.stdout,
      /^The runtime's auth and uploads use your Mail too: src\/bootstrap\.ts gives it to them \(facades\)\.$/m,
    );
    t.regex(read(dir, 'src/bootstrap.ts'), /^import \{ Mail \} from '\.\/libs\/mail\/index\.js';$/m);
    t.regex(
      read(dir, 'tests/auth.test.ts'),
      /^import \{ ArrayMailer, Mail \} from '\.\.\/src\/libs\/mail\/index\.js';$/m,
    );
    t.is(read(dir, 'tests/auth.test.ts').match(/libs\/mail\/index\.js/g)?.length, 1);

    // A part the project reaches through another of the runtime's is ejected with it, and a part of
    // the built-in stack is given to the app: both copies are what runs (the test below edits them).
    const auth = fastpy(['eject', 'controllers/auth-controller'], dir);
    t.is(auth.status, 0, auth.stderr);
    t.regex(
      auth.stdout,
      /^controllers\/auth-controller is yours: src\/controllers\/auth-controller\.ts\nwith routes\/auth, the part of the runtime your project reaches it through: src\/routes\/auth\.ts\nimports pointed at it: src\/routes\/index\.ts\n/,
    );
    t.regex(
      read(dir, 'src/routes/auth.ts'),
      /^import \{ AuthController \} from '\.\.\/controllers\/auth-controller\.js';$/m,
    );
    t.regex(read(dir, 'src/routes/index.ts'), /^import \{ authRoutes \} from '\.\/auth\.js';$/m);
    const limiter = fastpy(['eject', 'middleware/rate-limit'], dir);
    t.is(limiter.status, 0, limiter.stderr);
    t.regex(
      limiter.stdout,
      /^The app runs your rateLimit too: src\/middleware\/index\.ts gives it to the app \(stack\)\.$/m,
    );
    t.deepEqual(JSON.parse(read(dir, '.yo-rc.json'))['generator-fastpy'].ejected, [
      'controllers/auth-controller',
      'controllers/resource-controller',
      'libs/mail',
      'middleware/rate-limit',
      'routes/auth',
    ]);
    const edit = (file: string, from: string, to: string) => {
      const text = read(dir, file);
      t.true(text.includes(from), `${file} has ${from}`);
      writeFileSync(join(dir, file), text.replaceAll(from, to));
    };
    edit('src/controllers/auth-controller.ts', "message: 'User registered'", "message: 'Welcome aboard'");
    edit(
      'src/middleware/rate-limit.ts',
      'return async function rateLimitMiddleware(ctx, next) {',
      "return async function rateLimitMiddleware(ctx, next) {\n    ctx.set('X-Limiter', 'yours');",
    );
    writeFileSync(
      join(dir, 'tests/ejected.test.ts'),
      [
        "import test from 'ava';",
        "import { buildApp, client, migratedDatabase, testSettings } from './helpers.js';",
        '',
        "test('the ejected auth controller and rate limiter are what the app runs', async (t) => {",
        '  const db = await migratedDatabase();',
        '  t.teardown(() => db.destroy());',
        "  const settings = testSettings({ RATE_LIMIT_ENABLED: 'true' });",
        '  const registered = await client(buildApp({ db, settings }))',
        "    .post('/api/auth/register')",
        "    .send({ name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' });",
        '  t.is(registered.status, 201);',
        "  t.is(registered.body.message, 'Welcome aboard');",
        "  t.is(registered.headers['x-limiter'], 'yours');",
        '});',
        '',
      ].join('\n'),
    );

    // A resource generated afterwards extends the copy.
    t.is(fastpy(['make:resource', 'Tag', '-f', 'name:string:required', '-m'], dir).status, 0);
    t.regex(
      read(dir, 'src/controllers/tag-controller.ts'),
      /import \{ ResourceController \} from '\.\/resource-controller\.js';/,
    );

    const again = fastpy(['eject', 'controllers/resource-controller'], dir);
    t.is(again.status, 1);
    t.regex(again.stderr, /^fastpy: src\/controllers\/resource-controller\.ts is there already/);
    const shared = fastpy(['eject', 'libs/config'], dir);
    t.is(shared.status, 1);
    t.regex(
      shared.stderr,
      /^fastpy: libs\/config is not ejected: it holds the settings and connections every facade shares/,
    );
    t.notRegex(fastpy(['eject', '--list'], dir).stdout, /^libs\/(config|index)\b/m);
    const typo = fastpy(['eject', 'middleware/rate-limits'], dir);
    t.is(
      typo.stderr,
      'fastpy: "middleware/rate-limits" is not a part of fastpy-runtime (did you mean middleware/rate-limit?): fastpy eject --list lists them\n',
    );

    // An update leaves the copy as it is, and says so.
    renameSync(
      join(dir, 'vendor', `fastpy-runtime-${PACKAGE_VERSION}.tgz`),
      join(dir, 'vendor', 'fastpy-runtime-0.1.5.tgz'),
    );
    const pkg = JSON.parse(read(dir, 'package.json'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify(
        { ...pkg, dependencies: { ...pkg.dependencies, 'fastpy-runtime': 'file:vendor/fastpy-runtime-0.1.5.tgz' } },
        null,
        2,
      ),
    );
    const update = fastpy(['update', '--skip-install'], dir);
    t.is(update.status, 0, update.stderr);
    t.regex(
      update.stdout,
      /^ {2}not updated {7}src\/controllers\/resource-controller\.ts {3}\(ejected: yours, as you have it\)$/m,
    );
    t.is(read(dir, 'src/controllers/resource-controller.ts'), copy);

    // The ejected copy compiles, lints and runs with the rest: typecheck, lint, migrations and tests.
    linkProjectDependencies([dir]);
    for (const [command, args] of [
      ['npx', ['prettier', '--write', 'tests/ejected.test.ts']],
      ['npx', ['tsc', '--noEmit']],
      ['npm', ['run', 'lint']],
      ['npx', ['knex', 'migrate:latest']],
      ['npm', ['test']],
    ] as const) {
      const result = spawnSync(command, args, {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NODE_ENV: undefined },
        timeout: 300_000,
      });
      t.is(result.status, 0, `${command} ${args.join(' ')}:\n${result.stdout}${result.stderr}`);
    }
  },
);

test.serial('every part of the runtime ejects on its own, and the project compiles with it', async (t) => {
  const made = fastpy(['new', 'eject-each', '--yes', '--skip-install', '--skip-git']);
  t.is(made.status, 0, made.stderr);
  const project = join(made.cwd, 'eject-each');
  linkProjectDependencies([project]);
  // One copy of the project per part (node_modules shared), all type-checked by one tsc.
  const root = mkdtempSync(join(tmpdir(), 'fastpy-eject-each-'));
  const ejected: string[] = [];
  for (const part of ejectableParts()) {
    const dir = join(root, part.replace(/\//g, '+'));
    mkdirSync(dir);
    for (const file of ['package.json', '.yo-rc.json', 'src', 'tests'])
      cpSync(join(project, file), join(dir, file), { recursive: true });
    symlinkSync(join(project, 'node_modules'), join(dir, 'node_modules'));
    if (existsSync(join(dir, partPath(part)))) {
      // The project's own file is where the part would go (src/models/user.ts): it is the owner's already.
      await t.throwsAsync(eject(dir, part), { message: new RegExp(`^${partPath(part)} is there already`) });
      continue;
    }
    const { file } = await eject(dir, part);
    t.true(existsSync(join(dir, file)), part);
    ejected.push(part);
  }
  t.true(ejected.includes('libs/cache') && ejected.includes('controllers/resource-controller'));
  await t.throwsAsync(eject(project, 'libs/cache/manager'), {
    message:
      /^"libs\/cache\/manager" is not a part of fastpy-runtime \(did you mean libs\/cache\? A folder is ejected whole\.\)/,
  });
  t.deepEqual(
    planUpdate(join(root, 'libs+cache')).ejected,
    ['src/libs/cache/'],
    'update names the folder it leaves alone',
  );
  t.true(existsSync(join(root, 'libs+mail/src/libs/mail/drivers/smtp.ts')), 'a facade is ejected with its drivers');
  // A project made before its bootstrap gave the runtime its facades is told how to give the copy.
  const older = mkdtempSync(join(tmpdir(), 'fastpy-eject-older-'));
  for (const file of ['package.json', '.yo-rc.json', 'src', 'tests'])
    cpSync(join(project, file), join(older, file), { recursive: true });
  const bootstrap = read(older, 'src/bootstrap.ts');
  writeFileSync(
    join(older, 'src/bootstrap.ts'),
    bootstrap.replace(/^export const facades.*$/m, '').replaceAll(', facades })', ' })'),
  );
  t.regex(
    (await eject(older, 'libs/hash')).usedBy,
    /^The runtime's auth and uploads still use its own Hash: to give them yours, pass `facades: \{ Hash \}` to appServices\(\) in src\/bootstrap\.ts/,
  );
  // And one whose app was not given the built-in stack, how to give it the copy.
  writeFileSync(join(older, 'src/server.ts'), read(older, 'src/server.ts').replace(', stack })', ' })'));
  t.regex(
    (await eject(older, 'middleware/security-headers')).usedBy,
    /^The app still runs the runtime's securityHeaders: to give the app yours, pass `stack: \{ securityHeaders \}` to createApp\(\) in src\/server\.ts and to createTestKit\(\) in tests\/helpers\.ts\.$/,
  );
  // A part the runtime alone uses, through a part the project does not import, stays the runtime's there.
  const throttle = await eject(older, 'auth/login-throttle');
  t.deepEqual(throttle.along, []);
  t.regex(throttle.usedBy, /^The runtime's own code keeps its part/);
  // The project's imports of a facade, through '#libs' or the area's entry, now name the copy's index.
  t.regex(
    read(join(root, 'libs+mail'), 'tests/auth.test.ts'),
    /^import \{ ArrayMailer, Mail \} from '\.\.\/src\/libs\/mail\/index\.js';$/m,
  );
  t.regex(read(join(root, 'libs+queue'), 'src/worker.ts'), /from '\.\/libs\/queue\/index\.js';$/m);
  t.notRegex(
    read(join(root, 'libs+queue'), 'src/libs/queue/manager.ts'),
    /from 'fastpy-runtime\/libs'.*Job/,
    'its own modules stay relative',
  );
  const { compilerOptions } = JSON.parse(read(project, 'tsconfig.json')) as { compilerOptions: object };
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...compilerOptions, typeRoots: [join(project, 'node_modules/@types')] },
      include: ['*/src/**/*.ts', '*/tests/**/*.ts'],
    }),
  );
  const tsc = spawnSync(join(project, 'node_modules/.bin/tsc'), ['-p', root], { encoding: 'utf8', timeout: 600_000 });
  t.is(tsc.status, 0, `the ejected parts do not compile:\n${tsc.stdout}${tsc.stderr}`);
  // --list names the parts that are the owner's already.
  t.regex(fastpy(['eject', '--list'], project).stdout, /^models\/user {3}\(src\/models\/user\.ts is your own file\)$/m);
});
