// Storage: files on disks — local (STORAGE_ROOT), memory, and s3 (or any S3-compatible store) —
// with one API: put/get/exists/delete/list/copy/move/url. No path can leave its disk.
import { MemoryDisk } from './drivers/memory.js';
import { storageDisk } from './drivers/local.js';
import { S3Disk } from './drivers/s3.js';
import type { Disk } from './disk.js';
import { libsSettings, onLibsConfigured } from '../config.js';

export type DiskName = 'local' | 'memory' | 's3';

class StorageManager {
  #disks = new Map<DiskName, Disk>();

  constructor() {
    onLibsConfigured(() => this.#disks.clear());
  }

  /** A disk by name: `Storage.disk('s3').put('backups/data.zip', bytes)`; the default is STORAGE_DISK. */
  disk(name: string = libsSettings().storage.disk): Disk {
    if (name !== 'local' && name !== 'memory' && name !== 's3')
      throw new TypeError(`Storage.disk(): unknown disk "${name}"; disks: local, memory, s3`);
    let disk = this.#disks.get(name);
    if (!disk) {
      const settings = libsSettings();
      if (name === 'local') disk = storageDisk(settings);
      else if (name === 'memory') disk = new MemoryDisk();
      else {
        const { bucket, ...s3 } = settings.storage.s3;
        if (!bucket)
          throw new TypeError(
            "Storage.disk('s3'): set S3_BUCKET (and S3_REGION, credentials, S3_ENDPOINT for an S3-compatible store) in .env",
          );
        disk = new S3Disk({ bucket, ...s3 });
      }
      this.#disks.set(name, disk);
    }
    return disk;
  }

  /** Stores contents at a path (folders are created); returns the path. */
  put(path: string, contents: Buffer | Uint8Array | string): Promise<string> {
    return this.disk().put(path, contents);
  }

  /** The file's bytes (`.toString()` for text); a 404 NotFoundException when missing. */
  get(path: string): Promise<Buffer> {
    return this.disk().get(path);
  }

  exists(path: string): Promise<boolean> {
    return this.disk().exists(path);
  }

  delete(path: string): Promise<void> {
    return this.disk().delete(path);
  }

  list(prefix?: string): Promise<string[]> {
    return this.disk().list(prefix);
  }

  copy(from: string, to: string): Promise<void> {
    return this.disk().copy(from, to);
  }

  move(from: string, to: string): Promise<void> {
    return this.disk().move(from, to);
  }

  url(path: string): string {
    return this.disk().url(path);
  }
}

/**
 * @example
 * await Storage.put('avatars/user.jpg', bytes);
 * Storage.url('avatars/user.jpg'); // 'http://127.0.0.1:8000/storage/avatars/user.jpg'
 * await Storage.disk('s3').put('backups/data.zip', zip);
 */
export const Storage = new StorageManager();
