// The text fields of a multipart/form-data body (`curl -F username=… -F password=…`), for routes
// that take a form either way — the OAuth2 form login, as the seed's took both encodings. Files are
// not accepted here (uploads have their own route); the body is read up to a limit, then parsed by
// the platform's own FormData parser.
import type { Middleware } from 'koa';
import { AppError, BadRequestException, ErrorCode, ValidationException } from '../utils/exceptions.js';

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** A size such as BODY_LIMIT's `100kb` or `1mb`, in bytes. */
export function sizeInBytes(size: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)$/i.exec(size.trim());
  if (!match) throw new TypeError(`sizeInBytes(): "${size}" is not a size like 100kb or 1mb`);
  return Math.floor(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!);
}

/**
 * @example
 * router.post('auth.login', '/login', multipartFields({ limit: '1mb' }), controller.login);
 */
export function multipartFields(options: { limit: string }): Middleware {
  const limit = sizeInBytes(options.limit);
  return async (ctx, next) => {
    if (ctx.is('multipart/form-data')) {
      const declared = Number(ctx.get('content-length') || 0);
      if (declared > limit)
        throw new AppError(413, ErrorCode.PAYLOAD_TOO_LARGE, `The body is larger than ${options.limit}`);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit)
          throw new AppError(413, ErrorCode.PAYLOAD_TOO_LARGE, `The body is larger than ${options.limit}`);
        chunks.push(chunk);
      }
      let form: FormData;
      try {
        form = await new Response(Buffer.concat(chunks), {
          headers: { 'content-type': ctx.get('content-type') },
        }).formData();
      } catch {
        throw new BadRequestException('Malformed multipart/form-data body');
      }
      const fields: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const [name, value] of form) {
        if (typeof value !== 'string')
          throw new ValidationException('This form takes no files', {
            errors: { [name]: ['must be a text field, not a file'] },
          });
        fields[name] = value;
      }
      ctx.request.body = fields;
    }
    await next();
  };
}
