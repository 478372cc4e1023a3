// Storage: files on the local, memory and s3 disks. `fastpy libs storage --usage` prints this file;
// the tests run it (s3 against an S3-compatible server: S3_BUCKET, S3_ENDPOINT and keys in .env).
import assert from 'node:assert/strict';
import { Storage } from '#libs';

const fileContent = Buffer.from('a picture');

// Store a file (folders are created)
await Storage.put('avatars/user.jpg', fileContent);

// Get file content (a Buffer; .toString() for text; a StorageError E_FILE_NOT_FOUND when missing, a 404 in a request)
const content = await Storage.get('avatars/user.jpg');
assert.deepEqual(content, fileContent);

// Get the public URL (STORAGE_URL, by default APP_URL/storage)
const url = Storage.url('avatars/user.jpg');
assert.match(url, /\/storage\/avatars\/user\.jpg$/);

// Check existence
if (await Storage.exists('avatars/user.jpg')) console.log('File exists');

// List files (every depth, sorted)
const files = await Storage.list('avatars/');
assert.ok(files.includes('avatars/user.jpg'));

// Copy / move
await Storage.copy('avatars/user.jpg', 'avatars/copy.jpg');
await Storage.move('avatars/copy.jpg', 'avatars/moved.jpg');
assert.equal(await Storage.exists('avatars/copy.jpg'), false);

// Delete
await Storage.delete('avatars/user.jpg');
await Storage.delete('avatars/moved.jpg');

// No path leaves its disk
await assert.rejects(Storage.put('../outside.txt', 'x'), /leaves the storage root/);

// Use a specific disk
await Storage.disk('s3').put('backups/data.zip', Buffer.from('zip'));
const backupUrl = Storage.disk('s3').url('backups/data.zip');
assert.match(backupUrl, /backups\/data\.zip$/);
await Storage.disk('s3').delete('backups/data.zip');
await Storage.disk('memory').put('scratch.txt', 'kept in memory');
