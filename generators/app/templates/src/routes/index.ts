// Every API router of the application, mounted by createApp(). `fastpy make:resource` adds its routes here.
import type { RouteFactory } from 'fastpy-runtime';
import { authRoutes } from 'fastpy-runtime/http';

export const routes: RouteFactory[] = [
  authRoutes,
  // fastpy:routes — generated routers are registered above this line
];
