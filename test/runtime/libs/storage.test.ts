// Storage: the same behaviour on the local, memory and s3 disks (s3 against s3rver, an
// S3-compatible server started here on 127.0.0.1), and no path escaping a disk.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import S3rver from 's3rver';
import { loadSettings } from '../../../runtime/config/settings.js';
import { configureLibs } from '../../../runtime/libs/config.js';
import {
  Storage,
  diskPath,
  StorageError,
  type Disk,
  LocalDisk,
  MemoryDisk,
  S3Disk,
} from '../../../runtime/libs/storage/index.js';

let s3rver: S3rver;
let endpoint = '';
test.before(async () => {
  s3rver = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: mkdtempSync(join(tmpdir(), 'fastpy-s3rver-')),
    configureBuckets: [{ name: 'fastpy-test', configs: [] }],
  });
  const { port } = await s3rver.run();
  endpoint = `http://127.0.0.1:${port}`;
});
test.after.always(async () => {
  await s3rver?.close();
});

const s3Options = (prefix = `run-${Math.random().toString(36).slice(2)}/`) => ({
  bucket: 'fastpy-test',
  region: 'us-east-1',
  endpoint,
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
  prefix,
});
const disks: Record<string, () => Disk> = {
  local: () => new LocalDisk(mkdtempSync(join(tmpdir(), 'fastpy-disk-')), 'https://api.example.com/storage'),
  memory: () => new MemoryDisk(),
  s3: () => new S3Disk(s3Options()),
};

for (const [name, make] of Object.entries(disks)) {
  test(`${name}: put, get, exists, delete; a missing file is a 404`, async (t) => {
    const disk = make();
    t.is(await disk.put('avatars/user.jpg', Buffer.from([0xff, 0xd8, 0xff])), 'avatars/user.jpg');
    t.deepEqual(await disk.get('avatars/user.jpg'), Buffer.from([0xff, 0xd8, 0xff]));
    await disk.put('notes/hello.txt', 'hello ✓');
    t.is((await disk.get('notes/hello.txt')).toString(), 'hello ✓');
    t.true(await disk.exists('avatars/user.jpg'));
    t.false(await disk.exists('avatars/nobody.jpg'));
    await disk.delete('avatars/user.jpg');
    await disk.delete('avatars/user.jpg');
    t.false(await disk.exists('avatars/user.jpg'));
    await t.throwsAsync(disk.get('avatars/user.jpg'), {
      instanceOf: StorageError,
      code: 'E_FILE_NOT_FOUND',
      message: `No file "avatars/user.jpg" on the ${name} disk`,
    });
  });

  test(`${name}: list (all depths, sorted), copy and move`, async (t) => {
    const disk = make();
    for (const path of ['avatars/b.jpg', 'avatars/a.jpg', 'avatars/thumbs/a.jpg', 'other/x.txt'])
      await disk.put(path, path);
    t.deepEqual(await disk.list('avatars/'), ['avatars/a.jpg', 'avatars/b.jpg', 'avatars/thumbs/a.jpg']);
    t.deepEqual(await disk.list('avatars'), ['avatars/a.jpg', 'avatars/b.jpg', 'avatars/thumbs/a.jpg']);
    t.deepEqual(await disk.list(), ['avatars/a.jpg', 'avatars/b.jpg', 'avatars/thumbs/a.jpg', 'other/x.txt']);
    t.deepEqual(await disk.list('nothing/'), []);
    await disk.copy('avatars/a.jpg', 'backup/a.jpg');
    t.is((await disk.get('backup/a.jpg')).toString(), 'avatars/a.jpg');
    t.true(await disk.exists('avatars/a.jpg'));
    await disk.move('avatars/b.jpg', 'moved/b.jpg');
    t.false(await disk.exists('avatars/b.jpg'));
    t.is((await disk.get('moved/b.jpg')).toString(), 'avatars/b.jpg');
    await t.throwsAsync(disk.copy('missing.jpg', 'x.jpg'), { instanceOf: StorageError, code: 'E_FILE_NOT_FOUND' });
  });

  test(`${name}: no path leaves the disk`, async (t) => {
    const disk = make();
    for (const path of ['../secret', 'a/../../secret', 'a/../b', '/etc/passwd', '', 'a/\0b', '.', 'a\\..\\b']) {
      await t.throwsAsync(
        disk.put(path, 'x'),
        { instanceOf: StorageError, code: 'E_INVALID_PATH' },
        JSON.stringify(path),
      );
      await t.throwsAsync(disk.get(path), { instanceOf: StorageError, code: 'E_INVALID_PATH' }, JSON.stringify(path));
    }
    await t.throwsAsync(disk.list('../'), { instanceOf: StorageError, code: 'E_INVALID_PATH' });
  });
}

test('paths are normalised the same way on every disk', (t) => {
  t.is(diskPath('a/./b//c.txt'), 'a/b/c.txt');
  t.throws(() => new LocalDisk('relative/root'), { message: /absolute path/ });
});

test('local: files are where the root says, and url() uses the public address', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'fastpy-disk-'));
  const disk = new LocalDisk(root, 'https://api.example.com/storage/');
  await disk.put('uploads/a b.txt', 'hello');
  t.is(readFileSync(join(root, 'uploads/a b.txt'), 'utf8'), 'hello');
  t.is(disk.url('uploads/a b.txt'), 'https://api.example.com/storage/uploads/a%20b.txt');
});

test('s3: objects are in the bucket under the prefix; url() from the endpoint or a public URL', async (t) => {
  const disk = new S3Disk(s3Options('app-one/'));
  await disk.put('backups/data.zip', 'zip');
  t.deepEqual(
    await new S3Disk(s3Options('')).list('app-one/backups'),
    ['app-one/backups/data.zip'],
    'under the prefix in the bucket',
  );
  t.is(disk.url('backups/data.zip'), `${endpoint}/fastpy-test/app-one/backups/data.zip`);
  t.is(
    new S3Disk({ ...s3Options('x/'), publicUrl: 'https://cdn.example.com/' }).url('a.png'),
    'https://cdn.example.com/x/a.png',
  );
  t.is(
    new S3Disk({ bucket: 'b', region: 'eu-west-1' }).url('a b.png'),
    'https://b.s3.eu-west-1.amazonaws.com/a%20b.png',
  );
  await t.throwsAsync(new S3Disk({ ...s3Options(), bucket: 'no-such-bucket' }).put('a.txt', 'x'), {
    message: /bucket/i,
  });
});

test.serial('the facade: STORAGE_DISK picks the default; disks by name; settings are checked', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'fastpy-storage-'));
  configureLibs(
    loadSettings({
      NODE_ENV: 'test',
      STORAGE_ROOT: root,
      APP_URL: 'https://api.example.com',
      S3_BUCKET: 'fastpy-test',
      S3_ENDPOINT: endpoint,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_PREFIX: 'facade/',
    }),
  );
  await Storage.put('avatars/user.jpg', 'jpg');
  t.true(existsSync(join(root, 'avatars/user.jpg')), 'local by default, at STORAGE_ROOT');
  t.is(Storage.url('avatars/user.jpg'), 'https://api.example.com/storage/avatars/user.jpg');
  await Storage.disk('s3').put('backups/data.zip', 'zip');
  t.is((await Storage.disk('s3').get('backups/data.zip')).toString(), 'zip');
  t.is(Storage.disk('s3').url('backups/data.zip'), `${endpoint}/fastpy-test/facade/backups/data.zip`);
  await Storage.disk('memory').put('x', 'y');
  t.false(await Storage.exists('x'), 'disks are separate');
  t.throws(() => Storage.disk('ftp'), { message: 'Storage.disk(): unknown disk "ftp"; disks: local, memory, s3' });
  t.throws(() => loadSettings({ NODE_ENV: 'test', STORAGE_DISK: 's3' }), {
    message: /STORAGE_DISK is s3 but S3_BUCKET is not set/,
  });
  configureLibs(loadSettings({ NODE_ENV: 'test' }));
  t.throws(() => Storage.disk('s3'), { message: /set S3_BUCKET/ });
});
