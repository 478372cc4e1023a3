// One error base: every error class a fastpy-runtime entry point exports is a FastpyError with a
// code, named by one rule — `…Exception` for the HTTP answers (AppError), `…Error` for the rest —
// so a project catches them all one way (error.code), whatever facade threw.
import { readFileSync } from 'node:fs';
import test from 'ava';
import { HttpRequestRefusedError } from '../../runtime/libs/http/index.js';
import { SettingsError } from '../../runtime/config/settings.js';
import { StorageError } from '../../runtime/libs/storage/index.js';
import { AppError, NotFoundException } from '../../runtime/utils/exceptions.js';
import { FastpyError } from '../../runtime/utils/errors.js';

const manifest = JSON.parse(readFileSync(new URL('../../runtime/package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { default: string }>;
};

/** Every class extending Error that an entry point exports, by entry and name. */
async function exportedErrors(): Promise<Array<[string, string, new (...args: never[]) => Error]>> {
  const found: Array<[string, string, new (...args: never[]) => Error]> = [];
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target !== 'object' || !target.default.startsWith('./dist/')) continue;
    const source = new URL(
      `../../runtime/${target.default.slice('./dist/'.length).replace(/\.js$/, '.ts')}`,
      import.meta.url,
    );
    const module = (await import(source.href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module))
      if (typeof value === 'function' && value.prototype instanceof Error)
        found.push([subpath, name, value as new (...args: never[]) => Error]);
  }
  return found;
}

test('every error class the runtime exports is a FastpyError, named …Exception for HTTP answers and …Error otherwise', async (t) => {
  const errors = await exportedErrors();
  t.true(errors.length >= 20, `found ${errors.length}`);
  for (const [entry, name, type] of errors) {
    t.true(type === FastpyError || type.prototype instanceof FastpyError, `${entry}: ${name} extends FastpyError`);
    if (type.prototype instanceof AppError || type === AppError)
      t.true(type === AppError || name.endsWith('Exception'), `${entry}: ${name} is an HTTP answer: …Exception`);
    else t.regex(name, /Error$/, `${entry}: ${name} is not an HTTP answer: …Error`);
  }
});

test('each carries its code and its own name, and a cause when given', (t) => {
  const refused = new HttpRequestRefusedError('Http: 10.0.0.1 is a private address');
  t.like(refused, { code: 'E_HTTP_REFUSED', name: 'HttpRequestRefusedError' });
  t.like(new SettingsError(['SECRET_KEY is missing']), { code: 'E_SETTINGS', name: 'SettingsError' });
  t.like(new StorageError('E_FILE_NOT_FOUND', 'no such file'), { code: 'E_FILE_NOT_FOUND' });
  const cause = new Error('driver');
  const missing = new NotFoundException('Post not found', { cause });
  t.like(missing, { code: 'NOT_FOUND', status: 404, name: 'NotFoundException' });
  t.is(missing.cause, cause);
  t.true(missing instanceof FastpyError);
});
