// Handlers of the /api/auth endpoints: validate the input, call the AuthService, answer.
import type { Context } from 'koa';
import * as yup from 'yup';
import type { AuthService, TokenPair } from '../auth/auth-service.js';
import { MAX_PASSWORD_BYTES, passwordBytes } from '../auth/passwords.js';
import { currentSessionId, currentUser } from '../auth/require-auth.js';
import type { Settings } from '../config/settings.js';
import { resourceBody, type ResourceBody } from '../fields/validation.js';
import type { Model } from '../models/base-model.js';
import type { UserRecord } from '../models/user.js';
import { toAppError } from '../middleware/error-handler.js';
import { fieldErrors, ValidationException } from '../utils/exceptions.js';
import { sendSuccess } from '../utils/responses.js';
import { validate } from '../utils/validation.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** A form post from the API's own page (urlencoded, by a browser). */
const fromPage = (ctx: Context) =>
  ctx.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded' &&
  ctx.accepts('json', 'html') === 'html';

/** A page of the API's own (no script, no style: the API's CSP allows neither). */
function sendPage(ctx: Context, status: number, title: string, body: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${body}\n</body>\n</html>\n`;
}

/** Runs what a page does; a refusal (an invalid or used token, a short password) is a page that says why. */
async function answerPage(ctx: Context, title: string, work: () => Promise<string>): Promise<void> {
  try {
    sendPage(ctx, 200, title, await work());
  } catch (thrown) {
    // What the error handler would answer (yup's errors become the 422), as a page; a 5xx stays the handler's.
    const error = toAppError(thrown);
    if (error.status >= 500) throw thrown;
    const problems = Object.values(error.errors ?? {}).flat();
    sendPage(
      ctx,
      error.status,
      title,
      `<p>${escapeHtml(error.message)}</p>${problems.length ? `\n<ul>${problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('')}</ul>` : ''}\n<p>Open the link from the e-mail again, or ask for a new one.</p>`,
    );
  }
}

/** A new password: long enough, and within bcrypt's 72 bytes (longer is refused, never truncated). */
function newPassword(name: string, minLength: number) {
  return yup
    .string()
    .required(`${name} is required`)
    .min(minLength, `${name} must be at least ${minLength} characters`)
    .test(
      'bcrypt-bytes',
      `${name} must be at most ${MAX_PASSWORD_BYTES} bytes`,
      (value) => value === undefined || passwordBytes(value) <= MAX_PASSWORD_BYTES,
    );
}

const email = () =>
  yup
    .string()
    .trim()
    .required('email is required')
    .max(255, 'email must be at most 255 characters')
    .email('email must be a valid e-mail address');
const token = () => yup.string().required('token is required').max(512);

function client(ctx: Context) {
  return { ip: ctx.ip || 'unknown', userAgent: ctx.get('User-Agent') || undefined };
}

/** The body's own keys split in two: those `names` holds, and the rest. */
function split(body: unknown, names: ReadonlySet<string>): [Record<string, unknown>, Record<string, unknown>] {
  // fromEntries defines own keys, so a "__proto__" key stays data and never sets a prototype.
  const entries = Object.entries(body as Record<string, unknown>);
  return [
    Object.fromEntries(entries.filter(([key]) => names.has(key))),
    Object.fromEntries(entries.filter(([key]) => !names.has(key))),
  ];
}

export class AuthController {
  private readonly schemas;
  private readonly users: Model<UserRecord>;
  /** The User model's own fields, as a resource's are validated. */
  private readonly userFields: ResourceBody;
  private readonly userFieldNames: ReadonlySet<string>;

  constructor(
    private readonly auth: AuthService,
    settings: Settings,
  ) {
    this.users = auth.userModel;
    this.userFields = resourceBody(this.users.fields);
    this.userFieldNames = new Set(this.users.fields.map((field) => field.name));
    const min = settings.auth.passwordMinLength;
    this.schemas = {
      register: yup.object({
        name: yup.string().trim().required('name is required').min(1).max(255, 'name must be at most 255 characters'),
        email: email(),
        password: newPassword('password', min),
      }),
      // OAuth2 password grant: clients also send grant_type, scope, client_id… which are ignored.
      loginForm: yup.object({
        username: yup.string().required('username is required'),
        password: yup.string().required('password is required'),
      }),
      loginJson: yup.object({
        email: yup.string().required('email is required'),
        password: yup.string().required('password is required'),
      }),
      refresh: yup.object({ refresh_token: token().label('refresh_token').required('refresh_token is required') }),
      changePassword: yup.object({
        current_password: yup.string().required('current_password is required'),
        new_password: newPassword('new_password', min),
      }),
      forgotPassword: yup.object({ email: email() }),
      resetPassword: yup.object({ token: token(), new_password: newPassword('new_password', min) }),
      verifyEmail: yup.object({ token: token() }),
      logout: yup.object({ refresh_token: yup.string().max(512).optional() }),
    };
  }

  /** The account's name, e-mail and password, and the User model's own fields: every problem of both in one 422. */
  register = async (ctx: Context) => {
    const body: unknown = ctx.request.body;
    if (this.userFieldNames.size === 0 || typeof body !== 'object' || body === null || Array.isArray(body)) {
      const input = await validate(this.schemas.register, body);
      const user = await this.auth.register(input);
      return sendSuccess(ctx, this.users.serialize(user), { message: 'User registered', status: 201 });
    }
    const [own, account] = split(body, this.userFieldNames);
    const errors = fieldErrors();
    const problems = (error: unknown) => {
      const appError = toAppError(error);
      if (!(appError instanceof ValidationException)) throw error;
      Object.assign(errors, appError.errors);
    };
    const [input, fields] = await Promise.all([
      validate(this.schemas.register, account).catch(problems),
      this.userFields.parse(own, 'create').catch(problems),
    ]);
    if (!input || !fields) throw new ValidationException('Validation failed', { errors });
    const user = await this.auth.register({ ...fields, ...input });
    sendSuccess(ctx, this.users.serialize(user), { message: 'User registered', status: 201 });
  };

  /** Form login (OAuth2 password grant, and the refresh_token grant on the same endpoint): the bare token response, no envelope. */
  login = async (ctx: Context) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    let tokens: TokenPair;
    if (body.grant_type === 'refresh_token') {
      const input = await validate(this.schemas.refresh, body, { allowUnknown: true });
      tokens = await this.auth.refresh(input.refresh_token);
    } else {
      if (body.grant_type !== undefined && body.grant_type !== 'password')
        throw new ValidationException('Unsupported grant_type', {
          errors: { grant_type: ['must be password or refresh_token'] },
        });
      const input = await validate(this.schemas.loginForm, body, { allowUnknown: true });
      ({ tokens } = await this.auth.login(input.username, input.password, client(ctx)));
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = tokens;
  };

  loginJson = async (ctx: Context) => {
    const input = await validate(this.schemas.loginJson, ctx.request.body);
    const { tokens, user } = await this.auth.login(input.email, input.password, client(ctx));
    ctx.set('Cache-Control', 'no-store');
    sendSuccess(ctx, { ...tokens, user: this.users.serialize(user) }, { message: 'Login successful' });
  };

  refresh = async (ctx: Context) => {
    const input = await validate(this.schemas.refresh, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    sendSuccess(ctx, await this.auth.refresh(input.refresh_token), { message: 'Token refreshed' });
  };

  me = async (ctx: Context) => {
    sendSuccess(ctx, this.users.serialize(currentUser(ctx)));
  };

  changePassword = async (ctx: Context) => {
    const input = await validate(this.schemas.changePassword, ctx.request.body);
    await this.auth.changePassword(currentUser(ctx), currentSessionId(ctx), input.current_password, input.new_password);
    sendSuccess(ctx, null, { message: 'Password changed; other sessions have been signed out' });
  };

  forgotPassword = async (ctx: Context) => {
    const input = await validate(this.schemas.forgotPassword, ctx.request.body);
    await this.auth.forgotPassword(input.email);
    sendSuccess(ctx, null, { message: 'If the address belongs to an account, a reset link has been sent' });
  };

  resetPassword = async (ctx: Context) => {
    // The API's own reset page posts its form here; it gets a page back, an API client the envelope.
    if (fromPage(ctx)) {
      return answerPage(ctx, 'Reset your password', async () => {
        const input = await validate(this.schemas.resetPassword, ctx.request.body, { allowUnknown: true });
        await this.auth.resetPassword(input.token, input.new_password);
        return '<p>Your password has been changed. Sign in with the new one.</p>';
      });
    }
    const input = await validate(this.schemas.resetPassword, ctx.request.body);
    await this.auth.resetPassword(input.token, input.new_password);
    sendSuccess(ctx, null, { message: 'Password has been reset; sign in with the new password' });
  };

  /** GET /api/auth/reset-password?token=…: the page the reset e-mail links to when there is no FRONTEND_URL. */
  resetPasswordPage = (ctx: Context) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    if (token === '')
      return sendPage(
        ctx,
        422,
        'Reset your password',
        '<p>This link has no token: open the link from the e-mail again.</p>',
      );
    sendPage(
      ctx,
      200,
      'Reset your password',
      [
        '<form method="post" action="/api/auth/reset-password">',
        `  <input type="hidden" name="token" value="${escapeHtml(token)}">`,
        '  <p><label>New password <input type="password" name="new_password" autocomplete="new-password" required></label></p>',
        '  <p><button type="submit">Change the password</button></p>',
        '</form>',
      ].join('\n'),
    );
  };

  verifyEmail = async (ctx: Context) => {
    const input = await validate(this.schemas.verifyEmail, ctx.request.body);
    const user = await this.auth.verifyEmail(input.token);
    sendSuccess(ctx, this.users.serialize(user), { message: 'Email verified' });
  };

  /** GET /api/auth/verify-email?token=…: what the verification e-mail links to when there is no FRONTEND_URL. */
  verifyEmailLink = async (ctx: Context) => {
    await answerPage(ctx, 'Verify your e-mail address', async () => {
      const input = await validate(this.schemas.verifyEmail, { token: ctx.query.token });
      const user = await this.auth.verifyEmail(input.token);
      return `<p>${escapeHtml(user.email)} is verified. You can close this page.</p>`;
    });
  };

  sendVerification = async (ctx: Context) => {
    const sent = await this.auth.sendVerification(currentUser(ctx));
    sendSuccess(ctx, null, { message: sent ? 'Verification e-mail sent' : 'Email already verified' });
  };

  logout = async (ctx: Context) => {
    const input = await validate(this.schemas.logout, ctx.request.body ?? {});
    await this.auth.logout(currentSessionId(ctx), input.refresh_token);
    sendSuccess(ctx, null, { message: 'Logged out' });
  };
}
