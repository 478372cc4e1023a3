// Files on the local disk, under one root that no path can escape (`../`, absolute paths, NUL).
// Uploads store through the app's disk; the Storage facade (#libs) offers it as 'local'.
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PROJECT_ROOT } from '../../../config/paths.js';
import { diskPath, diskPrefix, missingFile, type Disk } from '../disk.js';

/**
 * @example
 * const disk = new LocalDisk('/srv/api/storage', 'https://api.example.com/storage');
 * await disk.put('uploads/a.png', bytes);
 * disk.path('../etc/passwd') // throws: the path leaves the disk
 */
export class LocalDisk implements Disk {
  readonly name = 'local';
  readonly root: string;

  constructor(
    root: string,
    /** The public address of the root, for url(). */
    readonly baseUrl = '/storage',
  ) {
    if (!isAbsolute(root)) throw new TypeError(`LocalDisk root must be an absolute path, got "${root}"`);
    this.root = resolve(root);
  }

  /** The absolute path of a file on the disk; a path that would leave the root is refused. */
  path(file: string): string {
    // diskPath refuses absolute paths and `..`: what it returns stays under the root.
    return join(this.root, diskPath(file));
  }

  async put(file: string, contents: Buffer | Uint8Array | string): Promise<string> {
    const target = this.path(file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, contents);
    return diskPath(file);
  }

  async get(file: string): Promise<Buffer> {
    try {
      return await readFile(this.path(file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR')
        throw missingFile(this.name, file);
      throw error;
    }
  }

  async exists(file: string): Promise<boolean> {
    try {
      return (await stat(this.path(file))).isFile();
    } catch {
      return false;
    }
  }

  async delete(file: string): Promise<void> {
    await rm(this.path(file), { force: true });
  }

  async list(prefix?: string): Promise<string[]> {
    const folder = diskPrefix(prefix);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(join(this.root, folder), { recursive: true, withFileTypes: true });
    } catch {
      return [];
    }
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .sort();
  }

  async copy(from: string, to: string): Promise<void> {
    if (!(await this.exists(from))) throw missingFile(this.name, from);
    await mkdir(dirname(this.path(to)), { recursive: true });
    await copyFile(this.path(from), this.path(to));
  }

  async move(from: string, to: string): Promise<void> {
    if (!(await this.exists(from))) throw missingFile(this.name, from);
    await mkdir(dirname(this.path(to)), { recursive: true });
    await rename(this.path(from), this.path(to));
  }

  url(file: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}/${diskPath(file).split('/').map(encodeURIComponent).join('/')}`;
  }
}

/** The disk at STORAGE_ROOT (relative to the project root unless absolute), public at STORAGE_URL. */
export function storageDisk(settings: { storageRoot: string; storage?: { url: string } }): LocalDisk {
  return new LocalDisk(
    isAbsolute(settings.storageRoot) ? settings.storageRoot : join(PROJECT_ROOT, settings.storageRoot),
    settings.storage?.url,
  );
}
