// Files in an S3 bucket (or any S3-compatible store: MinIO, R2, Spaces… through an endpoint), with
// @aws-sdk/client-s3, loaded on first use (the SDK is large; an app on the local disk never loads it).
// Keys are the disk paths, under an optional prefix.
import type { S3Client } from '@aws-sdk/client-s3';
import { importOptional } from '../../../utils/optional-package.js';
import { diskPath, diskPrefix, missingFile, type Disk } from '../disk.js';

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

type Sdk = typeof import('@aws-sdk/client-s3');

export class S3Disk implements Disk {
  readonly name = 's3';
  #sdk: Promise<{ sdk: Sdk; client: S3Client }> | undefined;

  constructor(readonly options: S3DiskOptions) {}

  /** The SDK and a client, made on first use. */
  #s3(): Promise<{ sdk: Sdk; client: S3Client }> {
    return (this.#sdk ??= importOptional('s3', 'the s3 disk', () => import('@aws-sdk/client-s3')).then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: this.options.region,
        endpoint: this.options.endpoint,
        forcePathStyle: this.options.forcePathStyle ?? Boolean(this.options.endpoint),
        credentials:
          this.options.accessKeyId && this.options.secretAccessKey
            ? { accessKeyId: this.options.accessKeyId, secretAccessKey: this.options.secretAccessKey }
            : undefined,
      }),
    })));
  }

  #key(path: string): string {
    return `${this.options.prefix ?? ''}${diskPath(path)}`;
  }

  async put(path: string, contents: Buffer | Uint8Array | string): Promise<string> {
    const { sdk, client } = await this.#s3();
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.#key(path),
        Body: typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents,
      }),
    );
    return diskPath(path);
  }

  async get(path: string): Promise<Buffer> {
    const { sdk, client } = await this.#s3();
    try {
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.#key(path) }));
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      if (notFound(error)) throw missingFile(this.name, path);
      throw error;
    }
  }

  async exists(path: string): Promise<boolean> {
    const { sdk, client } = await this.#s3();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.options.bucket, Key: this.#key(path) }));
      return true;
    } catch (error) {
      if (notFound(error)) return false;
      throw error;
    }
  }

  async delete(path: string): Promise<void> {
    const { sdk, client } = await this.#s3();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.#key(path) }));
  }

  async list(prefix?: string): Promise<string[]> {
    const { sdk, client } = await this.#s3();
    const base = this.options.prefix ?? '';
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: base + diskPrefix(prefix),
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? [])
        if (object.Key && !object.Key.endsWith('/')) keys.push(object.Key.slice(base.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async copy(from: string, to: string): Promise<void> {
    if (!(await this.exists(from))) throw missingFile(this.name, from);
    const source = `${this.options.bucket}/${this.#key(from).split('/').map(encodeURIComponent).join('/')}`;
    const { sdk, client } = await this.#s3();
    await client.send(
      new sdk.CopyObjectCommand({ Bucket: this.options.bucket, Key: this.#key(to), CopySource: source }),
    );
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
