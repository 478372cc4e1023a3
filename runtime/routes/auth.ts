// /api/auth: registration, both logins, token refresh, the current user, passwords, e-mail
// verification and logout.
import Router from '@koa/router';
import type { RouteFactory } from '../app.js';
import { requireAuth } from '../auth/require-auth.js';
import { AuthController } from '../controllers/auth-controller.js';

export const authRoutes: RouteFactory = ({ auth, settings }) => {
  const controller = new AuthController(auth, settings);
  const protect = requireAuth(auth);
  const router = new Router({ prefix: '/api/auth' });
  router.post('auth.register', '/register', controller.register);
  router.post('auth.login', '/login', controller.login);
  router.post('auth.login_json', '/login/json', controller.loginJson);
  router.post('auth.refresh', '/refresh', controller.refresh);
  router.get('auth.me', '/me', protect, controller.me);
  router.post('auth.change_password', '/change-password', protect, controller.changePassword);
  router.post('auth.forgot_password', '/forgot-password', controller.forgotPassword);
  router.post('auth.reset_password', '/reset-password', controller.resetPassword);
  router.post('auth.verify_email', '/verify-email', controller.verifyEmail);
  router.post('auth.send_verification', '/send-verification', protect, controller.sendVerification);
  router.post('auth.logout', '/logout', protect, controller.logout);
  return router;
};
