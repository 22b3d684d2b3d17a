// GET /metrics: the Prometheus text exposition of the server's series, behind ADMIN_TOKEN like the
// inspection API (404 while it is unset, and then nothing is recorded at all).
import Router from '@koa/router';
import { adminGuard } from '../inspection/adminGuard.ts';
import type { ServerMetrics } from './serverMetrics.ts';

/** `metrics` is null exactly when `adminToken` is: the guard then answers every request. */
export function metricsRouter(adminToken: string | null, metrics: ServerMetrics | null): Router {
  const router = new Router();
  router.get('/metrics', adminGuard(adminToken), async (ctx) => {
    ctx.body = await metrics!.registry.metrics();
    ctx.set('Content-Type', metrics!.registry.contentType);
    ctx.set('Cache-Control', 'no-store');
  });
  return router;
}
