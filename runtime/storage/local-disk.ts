// Files on the local disk, under one root that no path can escape (`../`, absolute paths, NUL).
// The Storage facade builds on it; uploads store through it.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PROJECT_ROOT } from '../config/paths.js';
import { BadRequestException } from '../utils/exceptions.js';

/**
 * @example
 * const disk = new LocalDisk('/srv/api/storage');
 * await disk.put('uploads/a.png', bytes);
 * disk.path('../etc/passwd') // throws: the path leaves the disk
 */
export class LocalDisk {
  readonly root: string;

  constructor(root: string) {
    if (!isAbsolute(root)) throw new TypeError(`LocalDisk root must be an absolute path, got "${root}"`);
    this.root = resolve(root);
  }

  /** The absolute path of a file on the disk; a path that would leave the root is refused. */
  path(file: string): string {
    if (file === '' || file.includes('\0') || isAbsolute(file)) throw new BadRequestException(`Invalid storage path "${file.replace(/\0/g, '\\0')}"`);
    const absolute = resolve(this.root, file);
    const inside = relative(this.root, absolute);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..')) throw new BadRequestException(`Invalid storage path "${file}": it leaves the storage root`);
    return absolute;
  }

  async put(file: string, contents: Buffer | string): Promise<void> {
    const target = this.path(file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, contents);
  }

  async get(file: string): Promise<Buffer> {
    return readFile(this.path(file));
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
}

/** The disk at STORAGE_ROOT (relative to the project root unless absolute). */
export function storageDisk(settings: { storageRoot: string }): LocalDisk {
  return new LocalDisk(isAbsolute(settings.storageRoot) ? settings.storageRoot : join(PROJECT_ROOT, settings.storageRoot));
}
