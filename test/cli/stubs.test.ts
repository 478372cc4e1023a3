// `fastpy stubs:publish`: a project owns copies of the templates, and every generator prefers them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { fastpy } from '../helpers/cli.js';

test('published templates are used by make:resource and the part generators; republishing keeps edits', (t) => {
  const created = fastpy(['new', 'stubs-api', '--yes', '--skip-install']);
  t.is(created.status, 0, created.stderr);
  const project = join(created.cwd, 'stubs-api');

  const published = fastpy(['stubs:publish', 'resource'], project);
  t.is(published.status, 0, published.stderr);
  t.regex(published.stdout, /published \.fastpy\/templates\/resource\/service\.ts\.ejs/);
  t.false(existsSync(join(project, '.fastpy/templates/middleware')), 'only the named generator');

  const service = join(project, '.fastpy/templates/resource/service.ts.ejs');
  writeFileSync(service, `// Reviewed by the platform team: <%= className %>.\n${readFileSync(service, 'utf8')}`);
  const middleware = fastpy(['stubs:publish'], project);
  t.is(middleware.status, 0, middleware.stderr);
  t.regex(
    middleware.stdout,
    /kept +\.fastpy\/templates\/resource\/service\.ts\.ejs \(already published; --force to replace\)/,
  );
  t.regex(middleware.stdout, /published \.fastpy\/templates\/middleware\/middleware\.ts\.ejs/);
  t.regex(readFileSync(service, 'utf8'), /platform team/, 'an edited template is not replaced without --force');

  const resource = fastpy(['make:resource', 'Post', '-f', 'title:string:required', '-m'], project);
  t.is(resource.status, 0, resource.stderr);
  t.regex(
    readFileSync(join(project, 'src/services/post-service.ts'), 'utf8'),
    /^\/\/ Reviewed by the platform team: Post\.\n/,
  );
  t.notRegex(readFileSync(join(project, 'src/models/post.ts'), 'utf8'), /platform team/);

  // The users' model is the app's template, published with resource's: make:resource User renders the project's.
  const userModel = join(project, '.fastpy/templates/resource/user-model.ts.ejs');
  t.regex(published.stdout, /published \.fastpy\/templates\/resource\/user-model\.ts\.ejs/);
  writeFileSync(userModel, `// Users, as the platform team keeps them.\n${readFileSync(userModel, 'utf8')}`);
  const users = fastpy(['make:resource', 'User', '-f', 'nickname:string'], project);
  t.is(users.status, 0, users.stderr);
  const model = readFileSync(join(project, 'src/models/user.ts'), 'utf8');
  t.regex(model, /^\/\/ Users, as the platform team keeps them\.\n/);
  t.regex(model, /nickname/);

  writeFileSync(
    join(project, '.fastpy/templates/middleware/middleware.ts.ejs'),
    `// Team middleware <%= className %>\n${readFileSync(join(project, '.fastpy/templates/middleware/middleware.ts.ejs'), 'utf8')}`,
  );
  const audit = fastpy(['make:middleware', 'Audit'], project);
  t.is(audit.status, 0, audit.stderr);
  t.regex(readFileSync(join(project, 'src/middleware/audit.ts'), 'utf8'), /^\/\/ Team middleware/);

  const forced = fastpy(['stubs:publish', 'resource', '--force'], project);
  t.is(forced.status, 0, forced.stderr);
  t.notRegex(readFileSync(service, 'utf8'), /platform team/);
});

test('stubs:publish names what can be published and refuses outside a project', (t) => {
  const unknown = fastpy(['stubs:publish', 'nope']);
  t.is(unknown.status, 1);
  t.regex(unknown.stderr, /fastpy: no templates named "nope"; publishable: resource, middleware, enum, exception/);
  const outside = fastpy(['stubs:publish']);
  t.is(outside.status, 1);
  t.regex(outside.stderr, /fastpy stubs:publish runs inside a fastpy project/);
});
