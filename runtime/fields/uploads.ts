// Uploads for file and image fields: a multipart `file` part, size-limited, stored on the disk under
// uploads/<table>/<id>/, its path recorded in the field; image fields accept images only.
import { randomBytes } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Disk } from '../libs/storage/disk.js';
import { AppError, ErrorCode, ValidationException } from '../utils/exceptions.js';
import { importOptional } from '../utils/optional-package.js';

/** Image formats an image field accepts (SVG is refused: it can carry scripts). */
export const IMAGE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'image/tiff',
] as const;

export interface UploadOptions {
  disk: Disk;
  /** Largest file accepted, in bytes (UPLOAD_MAX_BYTES). */
  maxBytes: number;
}

export interface StoredUpload {
  path: string;
  size: number;
  mime: string | undefined;
}

/** Parses the multipart body's single `file` part into memory, refusing more than `maxBytes`. */
export function receiveFile(options: UploadOptions): Middleware {
  // The multipart parser loads with the first upload.
  let parse: Middleware | undefined;
  return async function receiveFileMiddleware(ctx, next) {
    if (!ctx.is('multipart/form-data'))
      throw new AppError(
        415,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'Send the file as multipart/form-data, in a part named "file"',
      );
    if (!parse) {
      const { default: multer } = await importOptional('uploads', 'file uploads', () => import('@koa/multer'));
      parse = multer({
        storage: multer.memoryStorage(),
        limits: { fileSize: options.maxBytes, files: 1, fields: 10 },
      }).single('file');
    }
    try {
      await parse(ctx, async () => {});
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE')
        throw new AppError(413, ErrorCode.PAYLOAD_TOO_LARGE, `The file is larger than ${options.maxBytes} bytes`);
      if (code === 'LIMIT_UNEXPECTED_FILE' || code === 'LIMIT_FILE_COUNT')
        throw new ValidationException('Validation failed', {
          errors: { file: ['send exactly one file, in a part named "file"'] },
        });
      throw new AppError(400, ErrorCode.BAD_REQUEST, 'Malformed multipart body', { cause: error });
    }
    await next();
  };
}

/**
 * Checks and stores the uploaded file of a request that passed `receiveFile`.
 *
 * @example
 * const stored = await storeUpload(ctx, { disk, maxBytes }, { folder: 'uploads/posts/3', field: 'cover', image: true });
 */
export async function storeUpload(
  ctx: Context,
  options: UploadOptions,
  target: { folder: string; field: string; image: boolean },
): Promise<StoredUpload> {
  const file = (ctx.request as unknown as { file?: { buffer: Buffer; originalname: string; size: number } }).file;
  if (!file || file.size === 0)
    throw new ValidationException('Validation failed', {
      errors: { file: ['is required: send it in a multipart part named "file"'] },
    });
  const { fileTypeFromBuffer } = await importOptional('uploads', 'file uploads', () => import('file-type'));
  const type = await fileTypeFromBuffer(file.buffer);
  if (target.image && !(IMAGE_TYPES as readonly string[]).includes(type?.mime ?? '')) {
    throw new ValidationException('Validation failed', {
      errors: {
        file: [
          `must be an image (${IMAGE_TYPES.map((mime) => mime.slice('image/'.length)).join(', ')})${type ? `, got ${type.mime}` : ''}`,
        ],
      },
    });
  }
  const extension = type?.ext ?? /\.([A-Za-z0-9]{1,10})$/.exec(file.originalname)?.[1]?.toLowerCase() ?? 'bin';
  const path = `${target.folder}/${target.field}-${randomBytes(8).toString('hex')}.${extension}`;
  await options.disk.put(path, file.buffer);
  return { path, size: file.size, mime: type?.mime };
}
