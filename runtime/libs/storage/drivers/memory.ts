// Files in memory: for tests, and for scratch work that must not touch the file system.
import { diskPath, diskPrefix, missingFile, type Disk } from '../disk.js';

export class MemoryDisk implements Disk {
  readonly name = 'memory';
  readonly #files = new Map<string, Buffer>();

  async put(path: string, contents: Buffer | Uint8Array | string): Promise<string> {
    const key = diskPath(path);
    this.#files.set(key, Buffer.from(typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents));
    return key;
  }

  async get(path: string): Promise<Buffer> {
    const file = this.#files.get(diskPath(path));
    if (!file) throw missingFile(this.name, path);
    return Buffer.from(file);
  }

  async exists(path: string): Promise<boolean> {
    return this.#files.has(diskPath(path));
  }

  async delete(path: string): Promise<void> {
    this.#files.delete(diskPath(path));
  }

  async list(prefix?: string): Promise<string[]> {
    const folder = diskPrefix(prefix);
    return [...this.#files.keys()].filter((key) => key.startsWith(folder)).sort();
  }

  async copy(from: string, to: string): Promise<void> {
    await this.put(to, await this.get(from));
  }

  async move(from: string, to: string): Promise<void> {
    await this.copy(from, to);
    if (diskPath(from) !== diskPath(to)) await this.delete(from);
  }

  url(path: string): string {
    return `memory://${diskPath(path)}`;
  }
}
