// Builds the reference partner server's Koa application from its dependencies.
import Koa from 'koa';
import Router from '@koa/router';
import type { Tolerance } from './webhook/heapHash.ts';
import type { Logger } from './log/createLogger.ts';
import type { SegmentStore } from './store/segmentStore.ts';
import { requestContext } from './http/requestContext.ts';
import { inspectionRouter } from './inspection/inspectionRouter.ts';
import { webhookRouter } from './webhook/webhookRouter.ts';

export interface AppOptions {
  store: SegmentStore;
  logger: Logger;
  webhookSecrets: readonly string[];
  tolerance: Tolerance;
  bodyLimitBytes: number;
  unknownActions: 'accept' | 'reject';
  adminToken: string | null;
  /** The clock, ms since the epoch; injected so tests can move it. */
  now?: () => number;
}

export function createApp(options: AppOptions): Koa {
  const app = new Koa();
  const now = options.now ?? Date.now;
  app.use(requestContext(options.logger));

  const health = new Router();
  health.get('/healthcheck', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  const webhooks = webhookRouter({
    store: options.store,
    secrets: options.webhookSecrets,
    tolerance: options.tolerance,
    bodyLimitBytes: options.bodyLimitBytes,
    unknownActions: options.unknownActions,
    now,
  });
  const inspection = inspectionRouter({ store: options.store, adminToken: options.adminToken });
  for (const router of [health, webhooks, inspection] as Router[]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = { error: `No route for ${ctx.method} ${ctx.path}` };
  });
  return app;
}
