// Handlers of the /api/auth endpoints: validate the input, call the AuthService, answer.
import type { Context } from 'koa';
import * as yup from 'yup';
import type { AuthService, TokenPair } from '../auth/auth-service.js';
import { MAX_PASSWORD_BYTES, passwordBytes } from '../auth/passwords.js';
import { currentSessionId, currentUser } from '../auth/require-auth.js';
import type { Settings } from '../config/settings.js';
import { User } from '../models/user.js';
import { ValidationException } from '../utils/exceptions.js';
import { sendSuccess } from '../utils/responses.js';
import { validate } from '../utils/validation.js';

/** A new password: long enough, and within bcrypt's 72 bytes (longer is refused, never truncated). */
function newPassword(name: string, minLength: number) {
  return yup
    .string()
    .required(`${name} is required`)
    .min(minLength, `${name} must be at least ${minLength} characters`)
    .test('bcrypt-bytes', `${name} must be at most ${MAX_PASSWORD_BYTES} bytes`, (value) => value === undefined || passwordBytes(value) <= MAX_PASSWORD_BYTES);
}

const email = () => yup.string().trim().required('email is required').max(255, 'email must be at most 255 characters').email('email must be a valid e-mail address');
const token = () => yup.string().required('token is required').max(512);

function client(ctx: Context) {
  return { ip: ctx.ip || 'unknown', userAgent: ctx.get('User-Agent') || undefined };
}

export class AuthController {
  private readonly schemas;

  constructor(
    private readonly auth: AuthService,
    settings: Settings,
  ) {
    const min = settings.auth.passwordMinLength;
    this.schemas = {
      register: yup.object({
        name: yup.string().trim().required('name is required').min(1).max(255, 'name must be at most 255 characters'),
        email: email(),
        password: newPassword('password', min),
      }),
      // OAuth2 password grant: clients also send grant_type, scope, client_id… which are ignored.
      loginForm: yup.object({ username: yup.string().required('username is required'), password: yup.string().required('password is required') }),
      loginJson: yup.object({ email: yup.string().required('email is required'), password: yup.string().required('password is required') }),
      refresh: yup.object({ refresh_token: token().label('refresh_token').required('refresh_token is required') }),
      changePassword: yup.object({ current_password: yup.string().required('current_password is required'), new_password: newPassword('new_password', min) }),
      forgotPassword: yup.object({ email: email() }),
      resetPassword: yup.object({ token: token(), new_password: newPassword('new_password', min) }),
      verifyEmail: yup.object({ token: token() }),
      logout: yup.object({ refresh_token: yup.string().max(512).optional() }),
    };
  }

  register = async (ctx: Context) => {
    const input = await validate(this.schemas.register, ctx.request.body);
    const user = await this.auth.register(input);
    sendSuccess(ctx, User.serialize(user), { message: 'User registered', status: 201 });
  };

  /** Form login (OAuth2 password grant, and the refresh_token grant on the same endpoint): the bare token response, no envelope. */
  login = async (ctx: Context) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    let tokens: TokenPair;
    if (body.grant_type === 'refresh_token') {
      const input = await validate(this.schemas.refresh, body, { allowUnknown: true });
      tokens = await this.auth.refresh(input.refresh_token);
    } else {
      if (body.grant_type !== undefined && body.grant_type !== 'password') throw new ValidationException('Unsupported grant_type', { errors: { grant_type: ['must be password or refresh_token'] } });
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
    sendSuccess(ctx, { ...tokens, user: User.serialize(user) }, { message: 'Login successful' });
  };

  refresh = async (ctx: Context) => {
    const input = await validate(this.schemas.refresh, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    sendSuccess(ctx, await this.auth.refresh(input.refresh_token), { message: 'Token refreshed' });
  };

  me = async (ctx: Context) => {
    sendSuccess(ctx, User.serialize(currentUser(ctx)));
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
    const input = await validate(this.schemas.resetPassword, ctx.request.body);
    await this.auth.resetPassword(input.token, input.new_password);
    sendSuccess(ctx, null, { message: 'Password has been reset; sign in with the new password' });
  };

  verifyEmail = async (ctx: Context) => {
    const input = await validate(this.schemas.verifyEmail, ctx.request.body);
    const user = await this.auth.verifyEmail(input.token);
    sendSuccess(ctx, User.serialize(user), { message: 'Email verified' });
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
