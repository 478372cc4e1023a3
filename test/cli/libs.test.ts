// `fastpy libs`: the facades, which are in this version, and their examples.
import { existsSync, readFileSync } from 'node:fs';
import { FACADES, usagePath } from '../../lib/cli/commands/libs.js';
import test from 'ava';
import { fastpy } from '../helpers/cli.js';

test('fastpy libs lists every facade, saying which are not here yet', (t) => {
  const list = fastpy(['libs']);
  t.is(list.status, 0, list.stderr);
  t.regex(
    list.stdout,
    /^import \{ Http, Mail, Cache, Storage, Queue, Event, Notify, Hash, Crypt, Job, Notification \} from '#libs';/,
  );
  t.regex(list.stdout, /Hash +password hashing; check\(\) knows the algorithm +bcrypt, argon2, pbkdf2 \(sha256\)/);
  for (const facade of FACADES) t.true(existsSync(usagePath(facade)), `${facade.name} has its examples`);
});

test('fastpy libs <name> --usage prints the examples the tests run; unknown or missing facades are named', (t) => {
  const usage = fastpy(['libs', 'cache', '--usage']);
  t.is(usage.status, 0, usage.stderr);
  t.regex(
    usage.stdout,
    /^Cache: put\/get\/remember\/increment with TTLs and tags\n {2}drivers: memory, file, redis\n {2}settings \(\.env\): CACHE_STORE/,
  );
  t.true(usage.stdout.includes(readFileSync(new URL('../../lib/cli/libs-usage/cache.ts', import.meta.url), 'utf8')));
  t.regex(fastpy(['libs', 'Hash']).stdout, /Examples: fastpy libs hash --usage/);
  t.regex(
    fastpy(['libs', 'notification', '--usage']).stdout,
    /^Notify: notifications by mail, database, Slack, SMS/,
    'Notification is Notify',
  );
  t.regex(fastpy(['libs', 'job']).stdout, /^Queue: /, 'Job is Queue');
  const unknown = fastpy(['libs', 'smtp']);
  t.is(unknown.status, 1);
  t.regex(unknown.stderr, /no facade "smtp"; facades: http, mail, cache, storage, queue, event, notify, hash, crypt/);
});
