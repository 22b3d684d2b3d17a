// Builds the reference partner server's Koa application from its dependencies.
import Koa from 'koa';
import Router from '@koa/router';
import type { Tolerance } from '../../spec/src/index.ts';
import type { Logger } from './log/createLogger.ts';
import type { SegmentStore } from './store/segmentStore.ts';
import { DEFAULT_BODY_READ_TIMEOUT_MS, defaultInflightBodyBytes } from './http/bodyLimits.ts';
import { InflightBodyBudget } from './http/inflightBodyBudget.ts';
import { notFound } from './http/notFound.ts';
import { requestContext } from './http/requestContext.ts';
import { securityHeaders } from './http/securityHeaders.ts';
import { inspectionRouter } from './inspection/inspectionRouter.ts';
import { metricsRouter } from './metrics/metricsRouter.ts';
import { ServerMetrics } from './metrics/serverMetrics.ts';
import { webhookRouter } from './webhook/webhookRouter.ts';
import type { OAuthConfig } from './config/serverConfig.ts';
import type { ConnectionStore } from './store/connectionStore.ts';
import type { OAuthStateStore } from './store/oauthStateStore.ts';
import type { HeapPartnerClient } from './oauth/heapPartnerClient.ts';
import { oauthRouter } from './oauth/oauthRouter.ts';

export interface AppOptions {
  store: SegmentStore;
  logger: Logger;
  webhookSecrets: readonly string[];
  tolerance: Tolerance;
  bodyLimitBytes: number;
  /** How long a webhook body may take to arrive (default 60 s); then 408. */
  bodyReadTimeoutMs?: number;
  /**
   * Body bytes all requests together may hold in memory (default: 4 bodies of `bodyLimitBytes`,
   * at least 64 MB); a delivery that would exceed it gets 503 with Retry-After.
   */
  maxInflightBodyBytes?: number;
  unknownActions: 'accept' | 'reject';
  adminToken: string | null;
  /**
   * The series `GET /metrics` serves while `adminToken` is set (one per app; created here when not
   * given). The store given `metrics.storeCommits` reports its commits into it. Without
   * `adminToken` it is not used: nothing is recorded.
   */
  metrics?: ServerMetrics;
  /** Trust `X-Forwarded-*` from a proxy in front (`TRUST_PROXY`): HTTPS is then seen as such. */
  trustProxy?: boolean;
  /** The clock, ms since the epoch; injected so tests can move it. */
  now?: () => number;
  /**
   * Connected accounts, checked on every delivery that names one. With the connect flow on they are
   * the accounts it connected (`oauth.connections`, `oauth.unknownAccounts`); given here, accounts
   * connected some other way (the reference server started for a conformance run seeds them).
   */
  accounts?: { connections: ConnectionStore; unknown: 'accept' | 'reject' };
  /** The OAuth connect flow; without it the server only receives webhooks. */
  oauth?: {
    config: OAuthConfig;
    connections: ConnectionStore;
    /** Used OAuth states; in memory when not given. */
    stateStore?: OAuthStateStore;
    heap: HeapPartnerClient;
    /** A delivery for an id_token nobody connected: `accept` (and record) or `reject` (403). */
    unknownAccounts: 'accept' | 'reject';
  };
}

export function createApp(options: AppOptions): Koa {
  const app = new Koa({ proxy: options.trustProxy ?? false });
  if (options.oauth) app.keys = [options.oauth.config.cookieSecret];
  const now = options.now ?? Date.now;
  // What reaches Koa's error event are sockets that failed after the answer (a client that hung up
  // during an unread upload): worth a debug line, not a stack trace on stderr.
  app.on('error', (error: Error) =>
    options.logger.debug({ err: { message: error.message } }, 'connection error'),
  );
  const metrics = options.adminToken === null ? null : (options.metrics ?? new ServerMetrics());
  if (metrics) app.use(metrics.middleware());
  app.use(requestContext(options.logger));
  app.use(securityHeaders(options.oauth?.config));

  const health = new Router();
  // Answered without waiting on a database lock, so it stays fast while the store cannot write.
  health.get('/healthcheck', async (ctx) => {
    const store = (await options.store.health?.()) ?? { database: 'ok' as const };
    ctx.status = store.database === 'ok' ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: store.database === 'ok' ? 'ok' : 'unavailable', ...store };
  });
  const bodyBudget = new InflightBodyBudget(
    options.maxInflightBodyBytes ?? defaultInflightBodyBytes(options.bodyLimitBytes),
  );
  metrics?.observeBodyBudget(bodyBudget);
  const accounts =
    options.accounts ??
    (options.oauth
      ? { connections: options.oauth.connections, unknown: options.oauth.unknownAccounts }
      : undefined);
  const webhooks = webhookRouter({
    store: options.store,
    secrets: options.webhookSecrets,
    tolerance: options.tolerance,
    bodyLimitBytes: options.bodyLimitBytes,
    bodyReadTimeoutMs: options.bodyReadTimeoutMs ?? DEFAULT_BODY_READ_TIMEOUT_MS,
    bodyBudget,
    unknownActions: options.unknownActions,
    accounts,
    now,
  });
  const inspection = inspectionRouter({
    store: options.store,
    connections: accounts?.connections,
    adminToken: options.adminToken,
  });
  // The webhook routes come first, so a delivery is not matched against the other routers' paths
  // first. No path belongs to two routers, so the order changes no answer.
  const routers = [
    webhooks,
    health,
    inspection,
    metricsRouter(options.adminToken, metrics),
  ] as Router[];
  if (options.oauth) {
    routers.push(oauthRouter({ ...options.oauth, logger: options.logger, now }));
  }
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.use(notFound());
  return app;
}
