// Files in an S3 bucket (or any S3-compatible store: MinIO, R2, Spaces… through an endpoint), with
// @aws-sdk/client-s3. Keys are the disk paths, under an optional prefix.
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { diskPath, diskPrefix, missingFile, type Disk } from './disk.js';

export interface S3DiskOptions {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (path-style addressing then). */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
  /** Public base URL of the bucket (a CDN); default: the bucket's own address. */
  publicUrl?: string;
  /** Keys start with this (e.g. 'my-app/'). */
  prefix?: string;
}

const notFound = (error: unknown) => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
};

export class S3Disk implements Disk {
  readonly name = 's3';
  readonly client: S3Client;

  constructor(readonly options: S3DiskOptions) {
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
      credentials: options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined,
    });
  }

  #key(path: string): string {
    return `${this.options.prefix ?? ''}${diskPath(path)}`;
  }

  async put(path: string, contents: Buffer | Uint8Array | string): Promise<string> {
    await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: this.#key(path), Body: typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents }));
    return diskPath(path);
  }

  async get(path: string): Promise<Buffer> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.#key(path) }));
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      if (notFound(error)) throw missingFile(this.name, path);
      throw error;
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.#key(path) }));
      return true;
    } catch (error) {
      if (notFound(error)) return false;
      throw error;
    }
  }

  async delete(path: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.#key(path) }));
  }

  async list(prefix?: string): Promise<string[]> {
    const base = this.options.prefix ?? '';
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: base + diskPrefix(prefix), ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key && !object.Key.endsWith('/')) keys.push(object.Key.slice(base.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async copy(from: string, to: string): Promise<void> {
    if (!(await this.exists(from))) throw missingFile(this.name, from);
    const source = `${this.options.bucket}/${this.#key(from).split('/').map(encodeURIComponent).join('/')}`;
    await this.client.send(new CopyObjectCommand({ Bucket: this.options.bucket, Key: this.#key(to), CopySource: source }));
  }

  async move(from: string, to: string): Promise<void> {
    await this.copy(from, to);
    if (diskPath(from) !== diskPath(to)) await this.delete(from);
  }

  url(path: string): string {
    const key = this.#key(path).split('/').map(encodeURIComponent).join('/');
    if (this.options.publicUrl) return `${this.options.publicUrl.replace(/\/+$/, '')}/${key}`;
    if (this.options.endpoint) return `${this.options.endpoint.replace(/\/+$/, '')}/${this.options.bucket}/${key}`;
    return `https://${this.options.bucket}.s3.${this.options.region}.amazonaws.com/${key}`;
  }
}
