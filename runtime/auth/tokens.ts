// Token material: access tokens are JWTs (HS256 pinned, signed with SECRET_KEY); refresh, reset
// and verification tokens are random strings stored only as SHA-256 hashes.
import { FastpyError } from '../utils/errors.js';
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** jose is loaded with the first token signed or checked, not at start (idle memory). */
let jose: Promise<typeof import('jose')> | undefined;
const loadJose = () => (jose ??= import('jose'));

/** The only algorithm accepted: a token naming another (or `none`) is refused. */
export const ACCESS_TOKEN_ALGORITHM = 'HS256';

export interface AccessTokenClaims {
  /** User id. */
  sub: string;
  /** Session id: revoking the session makes every access token of it unusable. */
  sid: string;
  jti: string;
  type: 'access';
  iat: number;
  exp: number;
}

export interface TokenSettings {
  secretKey: string;
  /** Issuer and audience (the app name). */
  issuer: string;
  expireMinutes: number;
}

const key = (secret: string) => new TextEncoder().encode(secret);

/**
 * @example
 * const { token, expiresIn } = await signAccessToken({ userId: 1, sessionId }, settings);
 */
export async function signAccessToken(
  subject: { userId: number; sessionId: string },
  settings: TokenSettings,
): Promise<{ token: string; expiresIn: number; jti: string }> {
  const expiresIn = settings.expireMinutes * 60;
  const jti = randomUUID();
  const { SignJWT } = await loadJose();
  const token = await new SignJWT({ type: 'access', sid: subject.sessionId })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: 'JWT' })
    .setSubject(String(subject.userId))
    .setJti(jti)
    .setIssuer(settings.issuer)
    .setAudience(settings.issuer)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
    .sign(key(settings.secretKey));
  return { token, expiresIn, jti };
}

/** Why an access token was refused (kept out of responses; useful in logs and tests). */
export class InvalidTokenError extends FastpyError {
  constructor(readonly reason: 'malformed' | 'expired' | 'signature' | 'algorithm' | 'claims' | 'type') {
    super('E_INVALID_TOKEN', `invalid access token (${reason})`);
  }
}

/**
 * Verifies signature, algorithm, issuer, audience, expiry (`exp` required) and `type: "access"`.
 * Throws InvalidTokenError otherwise.
 */
export async function verifyAccessToken(token: string, settings: TokenSettings): Promise<AccessTokenClaims> {
  const { errors, jwtVerify } = await loadJose();
  let payload: Record<string, unknown>;
  try {
    // A token without an expiry would be valid for ever, even signed with the right key: exp is required.
    ({ payload } = await jwtVerify(token, key(settings.secretKey), {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: settings.issuer,
      audience: settings.issuer,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new InvalidTokenError('expired');
    if (error instanceof errors.JWSSignatureVerificationFailed) throw new InvalidTokenError('signature');
    if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
      throw new InvalidTokenError('algorithm');
    if (error instanceof errors.JWTClaimValidationFailed) throw new InvalidTokenError('claims');
    throw new InvalidTokenError('malformed');
  }
  if (payload.type !== 'access') throw new InvalidTokenError('type');
  if (
    typeof payload.sub !== 'string' ||
    !/^\d+$/.test(payload.sub) ||
    typeof payload.sid !== 'string' ||
    typeof payload.jti !== 'string'
  ) {
    throw new InvalidTokenError('claims');
  }
  return payload as unknown as AccessTokenClaims;
}

/** A random token for a client to hold (256 bits, URL-safe). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of a token: its SHA-256, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
