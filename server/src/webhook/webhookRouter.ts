// Mounts the webhook routes: Heap's reference routes and one route that dispatches on action_type.
import Router from '@koa/router';
import { webhookValidator } from '../../../spec/src/index.ts';
import type { SegmentStore } from '../store/segmentStore.ts';
import { handleDelivery, type HandleDeliveryOptions, type WebhookRoute } from './handleDelivery.ts';
import {
  verifyHeapHashMiddleware,
  type VerifiedDeliveryState,
  type VerifyHeapHashOptions,
} from './verifyHeapHashMiddleware.ts';

export interface WebhookRouterOptions extends VerifyHeapHashOptions {
  store: SegmentStore;
  unknownActions: 'accept' | 'reject';
  /** Connected accounts and what to do with deliveries for others; absent: every account is taken. */
  accounts?: HandleDeliveryOptions['accounts'];
}

export const webhookPaths: Record<string, WebhookRoute> = {
  '/users_sync': 'sync',
  '/users_drain': 'drain',
  '/webhooks/heap': 'any',
};

export function webhookRouter(options: WebhookRouterOptions): Router<VerifiedDeliveryState> {
  // The contract's validators are compiled here, at start-up, not on the first delivery.
  webhookValidator();
  const router = new Router<VerifiedDeliveryState>();
  const verify = verifyHeapHashMiddleware(options);
  const accounts = options.accounts && {
    ...options.accounts,
    writePage: options.store.accountPageWriter?.(options.accounts.connections),
  };
  for (const [routePath, route] of Object.entries(webhookPaths)) {
    router.post(routePath, verify, async (ctx) => {
      const answer = await handleDelivery(ctx.state.rawBody, route, {
        store: options.store,
        unknownActions: options.unknownActions,
        accounts,
        receivedAt: new Date(options.now()),
        onAction: (action) => (ctx.state.action = action),
      });
      ctx.status = answer.status;
      ctx.body = answer.body;
      ctx.state.outcome = answer.outcome;
    });
  }
  return router;
}
