// What every storage disk (local, memory, s3) does, and the path rule they share: a path is
// relative, inside the disk, with no `..`, NUL or backslash — so no path can escape the disk.
// Disks throw StorageErrors; the HTTP layer (the error handler) answers them with a 404 or a 400.
import { FastpyError } from '../../utils/errors.js';

/** What a disk refuses: a file that is not there (E_FILE_NOT_FOUND), or a path that is not a disk path (E_INVALID_PATH). */
export class StorageError extends FastpyError {
  declare readonly code: 'E_FILE_NOT_FOUND' | 'E_INVALID_PATH';

  constructor(code: 'E_FILE_NOT_FOUND' | 'E_INVALID_PATH', message: string) {
    super(code, message);
  }
}

export interface Disk {
  readonly name: string;
  put(path: string, contents: Buffer | Uint8Array | string): Promise<string>;
  /** The file's bytes; a StorageError E_FILE_NOT_FOUND (a 404 in a request) when there is none. */
  get(path: string): Promise<Buffer>;
  exists(path: string): Promise<boolean>;
  /** Removes a file; removing one that is not there is not an error. */
  delete(path: string): Promise<void>;
  /** Every file under a folder (all depths), as paths from the disk's root, sorted. */
  list(prefix?: string): Promise<string[]>;
  copy(from: string, to: string): Promise<void>;
  move(from: string, to: string): Promise<void>;
  /** Where the file can be fetched from. */
  url(path: string): string;
}

/**
 * A path as the disk stores it (forward slashes, no `.` segments), or a StorageError E_INVALID_PATH
 * (a 400 in a request) naming the problem.
 *
 * @example
 * diskPath('avatars/./user.jpg') // 'avatars/user.jpg'
 * diskPath('../etc/passwd')      // throws: it leaves the disk
 */
export function diskPath(path: string): string {
  if (typeof path !== 'string' || path === '' || path.includes('\0') || path.includes('\\') || path.startsWith('/')) {
    throw new StorageError('E_INVALID_PATH', `Invalid storage path "${String(path).replace(/\0/g, '\\0')}"`);
  }
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..'))
    throw new StorageError('E_INVALID_PATH', `Invalid storage path "${path}": it leaves the storage root`);
  if (segments.length === 0) throw new StorageError('E_INVALID_PATH', `Invalid storage path "${path}"`);
  return segments.join('/');
}

/** A folder prefix for list(): '' for the whole disk, else a path ending in '/'. */
export function diskPrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === '' || prefix === '/') return '';
  return `${diskPath(prefix)}/`;
}

export function missingFile(disk: string, path: string): StorageError {
  return new StorageError('E_FILE_NOT_FOUND', `No file "${path}" on the ${disk} disk`);
}
