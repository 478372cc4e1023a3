// `fastpy ai`, `fastpy config` and `fastpy init` as a user runs them, in a generated project; the
// providers are a fake on 127.0.0.1 (no real network).
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { fastpy, fastpyAsync } from '../helpers/cli.js';
import { FakeLlm } from '../helpers/fake-llm.js';

// No provider from the machine's own settings or environment leaks into these runs.
const isolated = () => ({
  FASTPY_CONFIG: join(mkdtempSync(join(tmpdir(), 'fastpy-ai-config-')), 'config.json'),
  FASTPY_AI_PROVIDER: undefined,
  FASTPY_AI_BASE_URL: undefined,
  FASTPY_AI_MODEL: undefined,
});

function project(): string {
  const created = fastpy(['new', 'ai-api', '--yes', '--skip-install']);
  if (created.status !== 0) throw new Error(created.stderr);
  return join(created.cwd, 'ai-api');
}

const migrations = (dir: string) => readdirSync(join(dir, 'src/database/migrations'));

test('offline: the plan is shown; -d and a missing terminal run nothing; -e runs it and stops at the first failure', (t) => {
  const dir = project();
  const env = isolated();
  const before = migrations(dir);
  const dry = fastpy(['ai', 'Create a blog with posts, categories and comments', '-d'], dir, env);
  t.is(dry.status, 0, dry.stderr);
  t.regex(dry.stdout, /Planning offline \(no AI provider configured/);
  t.regex(
    dry.stdout,
    / {3}1\. fastpy make:resource Category -f name:string:required,unique,max:100 -f description:text:nullable -m\n {6}categories: name, description\n/,
  );
  t.regex(dry.stdout, /Dry run: nothing ran\./);
  const unconfirmed = fastpy(['ai', 'Create a blog with posts, categories and comments'], dir, env);
  t.regex(unconfirmed.stdout, /Not run: no terminal to confirm on\. Run it with -e\./);
  t.deepEqual(migrations(dir), before);
  t.false(existsSync(join(dir, 'src/models/post.ts')));

  // The project's dependencies are not installed here, so the last step (db:migrate) fails: the
  // generation steps before it ran, and the failure is reported with what ran.
  const run = fastpy(['ai', 'Create a blog with posts, categories and comments', '-e'], dir, env);
  t.is(run.status, 1);
  t.regex(run.stdout, /\[1\/4\] fastpy make:resource Category/);
  t.regex(run.stdout, /\[4\/4\] fastpy db:migrate/);
  t.regex(run.stderr, /fastpy: step 4 failed \(exit 1\): fastpy db:migrate\nSteps 1–3 ran; the rest did not\./);
  t.regex(readFileSync(join(dir, 'src/models/comment.ts'), 'utf8'), /post_id/);
  const resources = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-fastpy'].resources;
  t.deepEqual(Object.keys(resources), ['Category', 'Post', 'Comment']);
  t.true(resources.Post.fields.includes('category_id:integer:required,foreign:categories.id'));

  const nothing = fastpy(['ai', 'make it faster please', '-e'], dir, env);
  t.is(nothing.status, 1);
  t.regex(nothing.stderr, /fastpy: nothing to plan from "make it faster please"/);
  t.regex(nothing.stdout, /note: no entities found in the request/);
});

test('a provider plans: its reply is checked, and an invalid plan runs nothing', async (t) => {
  const dir = project();
  t.is(fastpy(['make:resource', 'Post', '-f', 'title:string:required', '-m'], dir).status, 0);
  const server = await new FakeLlm().start();
  t.teardown(() => server.stop());
  const env = {
    ...isolated(),
    FASTPY_AI_PROVIDER: 'anthropic',
    FASTPY_AI_BASE_URL: server.url,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    FASTPY_AI_RETRIES: '1',
  };

  server.reply({
    kind: 'text',
    text: JSON.stringify({
      steps: [
        { command: 'fastpy make:resource Post -f title:string:required,max:10', reason: 'short titles' },
        { command: 'rm -rf src', reason: 'clean up' },
      ],
    }),
  });
  const refused = await fastpyAsync(['ai', 'Add bodies to posts', '-e'], dir, env);
  t.is(refused.status, 1);
  t.regex(refused.stdout, /Asking Anthropic \(claude-sonnet-4-5\)…/);
  t.regex(
    refused.stdout,
    /Plan from Anthropic:\n {3}1\. fastpy make:resource Post -f title:string:required,max:10\n {6}short titles/,
  );
  t.regex(
    refused.stderr,
    /the plan cannot run:\n {2}- step 1 \(fastpy make:resource Post -f title:string:required,max:10\): Post would lose data \(narrows title: string\(255\) → string\(10\): values longer than 10 characters do not fit\); a plan may only add fields or widen them/,
  );
  t.regex(refused.stderr, /- step 2 \(rm -rf src\): only fastpy commands may run, not "rm"\nNothing ran\./);
  t.notRegex(readFileSync(join(dir, 'src/models/post.ts'), 'utf8'), /max: 10/);
  // The model was told about the project's resources and the conventions.
  const system = server.received[0]!.body.system as string;
  t.regex(system, /- Post \(table posts\): title:string:required/);
  t.regex(system, /Types: string, text, integer/);
  t.is((server.received[0]!.body.messages as { content: string }[])[0]!.content, 'Add bodies to posts');

  server.reply(
    { kind: 'status', status: 429, headers: { 'retry-after': '0' }, body: '{"error":{"message":"busy"}}' },
    {
      kind: 'text',
      text:
        '```json\n' +
        JSON.stringify({
          steps: [
            { command: 'fastpy make:enum Status -v draft -v in_review', reason: 'post states' },
            { command: 'fastpy make:resource Tag -f name:string:required,unique -m', reason: 'tags' },
          ],
        }) +
        '\n```',
    },
  );
  const ran = await fastpyAsync(['ai', 'Add tags and a status enum', '-e'], dir, env);
  t.is(ran.status, 0, ran.stderr);
  t.regex(ran.stderr, /Anthropic: HTTP 429: busy; retrying in 0 ms \(attempt 2 of 2\)/);
  t.regex(ran.stdout, /Done: 2 steps\./);
  t.regex(readFileSync(join(dir, 'src/enums/status.ts'), 'utf8'), /IN_REVIEW: 'in_review'/);
  t.true(existsSync(join(dir, 'src/models/tag.ts')));

  server.reply({ kind: 'raw', body: 'not json' });
  const broken = await fastpyAsync(['ai', 'anything', '-e'], dir, env);
  t.is(broken.status, 1);
  t.regex(broken.stderr, /fastpy: Anthropic replied with something that is not JSON: "not json"/);

  const keyless = await fastpyAsync(['ai', 'anything', '--provider', 'openai'], dir, {
    ...env,
    OPENAI_API_KEY: undefined,
  });
  t.is(keyless.status, 1);
  t.regex(keyless.stderr, /the openai provider needs an API key: set OPENAI_API_KEY/);
  const offline = await fastpyAsync(['ai', 'Add tags and reviews', '--offline', '-d'], dir, env);
  t.is(offline.status, 0, offline.stderr);
  t.regex(offline.stdout, /Planning offline[\s\S]*note: Tag exists already[\s\S]*fastpy make:resource Review/);
});

test('fastpy ai outside a project, and with a bad provider', (t) => {
  const outside = fastpy(['ai', 'a blog with posts'], undefined, isolated());
  t.is(outside.status, 1);
  t.regex(outside.stderr, /fastpy ai runs inside a fastpy project/);
  const bad = fastpy(['ai', 'a blog', '--provider', 'skynet'], project(), isolated());
  t.is(bad.status, 1);
  t.regex(bad.stderr, /--provider: "skynet" is not one of anthropic, openai, google, groq, ollama/);
});

test('fastpy init, config --set and config show the settings and where they come from', (t) => {
  const env = isolated();
  const shown = fastpy(['config'], undefined, env);
  t.is(shown.status, 0, shown.stderr);
  t.regex(shown.stdout, /config file: .*config\.json \(none yet: fastpy config --init creates it\)/);
  t.regex(shown.stdout, /fastpy ai plans offline \(no provider set\)\./);
  const init = fastpy(['init'], undefined, env);
  t.is(init.status, 0, init.stderr);
  t.regex(init.stdout, /^Created .*config\.json/);
  t.regex(fastpy(['config', '--init'], undefined, env).stdout, /exists already \(kept; --force to recreate it\)/);
  const set = fastpy(['config', '--set', 'ai.provider=ollama', '--set', 'ai.model=qwen2.5'], undefined, env);
  t.is(set.status, 0, set.stderr);
  const after = fastpy(['config'], undefined, {
    ...env,
    OPENAI_API_KEY: 'sk-secret-1234',
    FASTPY_AI_TIMEOUT_MS: '5000',
  });
  t.regex(after.stdout, /ai\.provider +ollama +file/);
  t.regex(after.stdout, /ai\.model +qwen2\.5 +file/);
  t.regex(after.stdout, /ai\.timeoutMs +5000 +env FASTPY_AI_TIMEOUT_MS/);
  t.regex(after.stdout, /openai +OPENAI_API_KEY set \(…1234\)/);
  t.notRegex(after.stdout, /sk-secret/, 'keys are never printed');
  t.regex(after.stdout, /fastpy ai asks ollama\./);
  const bad = fastpy(['config', '--set', 'ai.provider=skynet'], undefined, env);
  t.is(bad.status, 1);
  t.regex(bad.stderr, /fastpy: ai\.provider: "skynet" is not one of/);
});
