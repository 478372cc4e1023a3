// /api/auth: registration, both logins, token refresh, the current user, passwords, e-mail
// verification and logout — each described for the OpenAPI document.
import Router from '@koa/router';
import type { RouteFactory } from '../app.js';
import { requireAuth } from '../auth/require-auth.js';
import { AuthController } from '../controllers/auth-controller.js';
import { multipartFields } from '../middleware/form-fields.js';
import { mustBeSent } from '../fields/spec.js';
import type { Model } from '../models/base-model.js';
import { USER_ROLES, type UserRecord } from '../models/user.js';
import { describeRoute, fieldSchema, schemaRef, type RouteDoc } from '../openapi/document.js';

const timestamp = { type: 'string', format: 'date-time' };

/** The schemas of the auth routes; User's with the User model's own fields (its hidden ones left out). */
function schemasOf(users: Model<UserRecord>) {
  const shown = users.fields.filter((field) => !users.hidden.includes(field.name));
  return {
    User: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        name: { type: 'string' },
        email: { type: 'string', format: 'email' },
        is_active: { type: 'boolean' },
        email_verified_at: { type: ['string', 'null'], format: 'date-time' },
        role: { type: 'string', enum: [...USER_ROLES] },
        ...Object.fromEntries(shown.map((field) => [field.name, fieldSchema(field, 'record')])),
        created_at: timestamp,
        updated_at: timestamp,
        deleted_at: { type: ['string', 'null'], format: 'date-time' },
      },
      required: [
        'id',
        'name',
        'email',
        'is_active',
        'email_verified_at',
        'role',
        ...shown.map((field) => field.name),
        'created_at',
        'updated_at',
      ],
    },
    TokenPair: {
      type: 'object',
      properties: {
        access_token: { type: 'string' },
        token_type: { const: 'bearer' },
        expires_in: { type: 'integer', description: 'seconds' },
        refresh_token: { type: 'string' },
      },
      required: ['access_token', 'token_type', 'expires_in', 'refresh_token'],
    },
  };
}

const object = (properties: Record<string, Record<string, unknown>>, required = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
});
const email = { type: 'string', format: 'email', maxLength: 255, examples: ['ada@example.com'] };
const password = (minLength: number) => ({
  type: 'string',
  minLength,
  description: `at least ${minLength} characters and at most 72 bytes`,
  examples: ['correct horse battery'],
});
const oneTimeToken = { type: 'string', maxLength: 512, description: 'the token from the e-mail' };
const done = { 200: { description: 'Done', data: { type: 'null' } } };
const lockedOut = {
  429: {
    description: 'Too many failed attempts for this e-mail from this address: locked out for a while (Retry-After)',
  },
};

export const authRoutes: RouteFactory = ({ auth, settings }) => {
  const controller = new AuthController(auth, settings);
  const protect = requireAuth(auth);
  const min = settings.auth.passwordMinLength;
  const users = auth.userModel;
  const schemas = schemasOf(users);
  const route = <H extends object>(doc: RouteDoc, handler: H) =>
    describeRoute({ tags: ['auth'], schemas, ...doc }, handler);
  const router = new Router({ prefix: '/api/auth' });
  router.post(
    'auth.register',
    '/register',
    route(
      {
        summary: 'Create an account',
        description: 'Sends the e-mail verification message. E-mail addresses are unique, case-insensitively.',
        body: {
          // The User model's own fields too, as a resource's create body takes them.
          schema: object(
            {
              name: { type: 'string', minLength: 1, maxLength: 255, examples: ['Ada Lovelace'] },
              email,
              password: password(min),
              ...Object.fromEntries(users.fields.map((field) => [field.name, fieldSchema(field, 'input')])),
            },
            ['name', 'email', 'password', ...users.fields.filter(mustBeSent).map((field) => field.name)],
          ),
        },
        responses: {
          201: { description: 'The new user', data: schemaRef('User') },
          409: { description: 'An account with this e-mail already exists' },
        },
      },
      controller.register,
    ),
  );
  router.post(
    'auth.login',
    '/login',
    multipartFields({ limit: settings.bodyLimit }),
    route(
      {
        summary: 'Log in (OAuth2 password and refresh_token grants)',
        description:
          'The form login the "Authorize" button uses, urlencoded or multipart: `username` is the e-mail. With `grant_type=refresh_token` and a `refresh_token`, new tokens for it (the refresh rotates, as on /refresh). Answers with the bare token response (no envelope).',
        body: {
          contentType: ['application/x-www-form-urlencoded', 'multipart/form-data'],
          schema: {
            type: 'object',
            properties: {
              grant_type: {
                type: 'string',
                enum: ['password', 'refresh_token'],
                description: 'password (the default) or refresh_token',
              },
              username: { type: 'string', description: 'the e-mail address (password grant)' },
              password: { type: 'string', description: 'the password (password grant)' },
              refresh_token: { type: 'string', maxLength: 512, description: 'the refresh token (refresh_token grant)' },
            },
          },
        },
        responses: {
          200: { description: 'Tokens', schema: schemaRef('TokenPair') },
          401: { description: 'Wrong e-mail or password, or an invalid refresh token' },
          403: { description: 'The account is disabled' },
          ...lockedOut,
        },
      },
      controller.login,
    ),
  );
  router.post(
    'auth.login_json',
    '/login/json',
    route(
      {
        summary: 'Log in with JSON',
        body: {
          schema: object({ email: { type: 'string', examples: ['ada@example.com'] }, password: { type: 'string' } }),
        },
        responses: {
          200: {
            description: 'Tokens and the user',
            data: {
              allOf: [schemaRef('TokenPair')],
              type: 'object',
              properties: { user: schemaRef('User') },
              required: ['user'],
            },
          },
          401: { description: 'Wrong e-mail or password' },
          403: { description: 'The account is disabled' },
          ...lockedOut,
        },
      },
      controller.loginJson,
    ),
  );
  router.post(
    'auth.refresh',
    '/refresh',
    route(
      {
        summary: 'New tokens for a refresh token',
        description:
          'Refresh tokens rotate: the one sent stops working. Reusing an old one signs the whole session out.',
        body: { schema: object({ refresh_token: { type: 'string', maxLength: 512 } }) },
        responses: {
          200: { description: 'A new token pair', data: schemaRef('TokenPair') },
          401: { description: 'The refresh token is invalid, expired, used or revoked' },
          403: { description: 'The account is disabled' },
        },
      },
      controller.refresh,
    ),
  );
  router.get(
    'auth.me',
    '/me',
    protect,
    route(
      {
        summary: 'The current user',
        responses: { 200: { description: 'The user the token belongs to', data: schemaRef('User') } },
      },
      controller.me,
    ),
  );
  router.post(
    'auth.change_password',
    '/change-password',
    protect,
    route(
      {
        summary: 'Change the password',
        description: 'Signs out every other session of the user.',
        body: { schema: object({ current_password: { type: 'string' }, new_password: password(min) }) },
        responses: done,
      },
      controller.changePassword,
    ),
  );
  router.post(
    'auth.forgot_password',
    '/forgot-password',
    route(
      {
        summary: 'E-mail a password reset link',
        description: 'Answers the same whether or not the address belongs to an account.',
        body: { schema: object({ email }) },
        responses: done,
      },
      controller.forgotPassword,
    ),
  );
  router.post(
    'auth.reset_password',
    '/reset-password',
    route(
      {
        summary: 'Set a new password with the token from the reset e-mail',
        body: { schema: object({ token: oneTimeToken, new_password: password(min) }) },
        responses: { ...done, 400: { description: 'The token is invalid, expired or already used' } },
      },
      controller.resetPassword,
    ),
  );
  // The pages the e-mails link to when there is no FRONTEND_URL (HTML, for a browser).
  const html = (description: string) => ({ description, contentType: 'text/html', schema: { type: 'string' } });
  const page = (summary: string, description: string, refusals: Record<number, string>) => ({
    summary,
    description,
    query: { token: { description: 'the token from the e-mail', schema: oneTimeToken } },
    responses: {
      200: html('A page'),
      ...Object.fromEntries(Object.entries(refusals).map(([status, text]) => [status, html(text)])),
    },
  });
  router.get(
    'auth.reset_password_page',
    '/reset-password',
    route(
      page(
        'The page the reset e-mail links to',
        'Without FRONTEND_URL, the reset e-mail links here: a form for the new password, posted to POST /api/auth/reset-password.',
        {
          422: 'The link has no token (a page that says so)',
        },
      ),
      controller.resetPasswordPage,
    ),
  );
  router.get(
    'auth.verify_email_link',
    '/verify-email',
    route(
      page(
        'Verify the e-mail address from the link in the e-mail',
        'Without FRONTEND_URL, the verification e-mail links here: it verifies the address and says so in a page.',
        {
          400: 'The token is invalid, expired or already used (a page that says so)',
          422: 'The link has no token (a page that says so)',
        },
      ),
      controller.verifyEmailLink,
    ),
  );
  router.post(
    'auth.verify_email',
    '/verify-email',
    route(
      {
        summary: 'Verify the e-mail address with the token from the verification e-mail',
        body: { schema: object({ token: oneTimeToken }) },
        responses: {
          200: { description: 'The verified user', data: schemaRef('User') },
          400: { description: 'The token is invalid, expired or already used' },
        },
      },
      controller.verifyEmail,
    ),
  );
  router.post(
    'auth.send_verification',
    '/send-verification',
    protect,
    route({ summary: 'Send the verification e-mail again', responses: done }, controller.sendVerification),
  );
  router.post(
    'auth.logout',
    '/logout',
    protect,
    route(
      {
        summary: 'Log out',
        description: "Revokes the token's session (and the refresh token, when sent).",
        body: { required: false, schema: object({ refresh_token: { type: 'string', maxLength: 512 } }, []) },
        responses: done,
      },
      controller.logout,
    ),
  );
  return router;
};
