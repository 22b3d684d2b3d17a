// The read-only inspection API (spec/partner_inspection_api.yaml), behind ADMIN_TOKEN.
import Router from '@koa/router';
import type { ConnectionStore } from '../store/connectionStore.ts';
import type { SegmentStore } from '../store/segmentStore.ts';
import { adminGuard } from './adminGuard.ts';

export interface InspectionRouterOptions {
  store: SegmentStore;
  /** Without a connection store, `/admin/connections` lists none. */
  connections?: ConnectionStore;
  /** Null disables the API: every route answers 404 saying how to enable it. */
  adminToken: string | null;
}

const wholeNumber = (raw: string | undefined): number | null =>
  raw !== undefined && /^-?\d{1,16}$/.test(raw) ? Number(raw) : null;

export function inspectionRouter(options: InspectionRouterOptions): Router {
  // The guard is part of every route, not a prefix middleware: the routes match case-insensitively
  // and with a trailing slash, and a prefix middleware matched only the exact spelling `/admin`.
  const guard = adminGuard(options.adminToken);
  const router = new Router({ prefix: '/admin' });

  router.get('/connections', guard, async (ctx) => {
    ctx.body = { connections: (await options.connections?.listConnections()) ?? [] };
  });

  router.get('/segments', guard, async (ctx) => {
    const idToken = typeof ctx.query.id_token === 'string' ? ctx.query.id_token : undefined;
    ctx.body = { segments: await options.store.listSegments({ idToken }) };
  });

  router.get('/segments/:idToken/:segmentId/members', guard, async (ctx) => {
    const segmentId = wholeNumber(ctx.params.segmentId);
    const rawLimit = typeof ctx.query.limit === 'string' ? ctx.query.limit : '1000';
    const limit = wholeNumber(rawLimit);
    if (segmentId === null) {
      ctx.status = 400;
      ctx.body = { error: 'segment_id: must be a whole number' };
      return;
    }
    if (limit === null || limit < 1 || limit > 10_000) {
      ctx.status = 400;
      ctx.body = { error: 'limit: must be a whole number from 1 to 10000' };
      return;
    }
    const after = typeof ctx.query.after === 'string' ? ctx.query.after : undefined;
    ctx.body = await options.store.listMembers(ctx.params.idToken!, segmentId, { limit, after });
  });

  router.get('/sync-tasks', guard, async (ctx) => {
    const idToken = typeof ctx.query.id_token === 'string' ? ctx.query.id_token : undefined;
    const rawSegment = typeof ctx.query.segment_id === 'string' ? ctx.query.segment_id : undefined;
    const segmentId = rawSegment === undefined ? undefined : wholeNumber(rawSegment);
    if (segmentId === null) {
      ctx.status = 400;
      ctx.body = { error: 'segment_id: must be a whole number' };
      return;
    }
    ctx.body = { sync_tasks: await options.store.listSyncTasks({ idToken, segmentId }) };
  });
  return router;
}
