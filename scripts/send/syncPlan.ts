// Splits a sync into signed-ready pages sharing one sync_task_id, the way Heap pages a sync.
import { syncPagePayload, type SegmentUsersSync } from '../../spec/src/index.ts';

export interface SyncPlan {
  idToken: string;
  segment: { id: number; name: string };
  syncTaskId: string;
  add: readonly string[];
  remove: readonly string[];
  /** Users (added plus removed) per page. */
  pageSize: number;
}

/** Number of pages the plan makes; an empty sync is still one (empty) page. */
export function pageCount(plan: SyncPlan): number {
  return Math.max(1, Math.ceil((plan.add.length + plan.remove.length) / plan.pageSize));
}

/** Page `pageNumber` (from 1): added users fill pages first, then removed users. */
export function planPage(plan: SyncPlan, pageNumber: number): SegmentUsersSync {
  const start = (pageNumber - 1) * plan.pageSize;
  const end = start + plan.pageSize;
  const addCount = plan.add.length;
  return syncPagePayload({
    idToken: plan.idToken,
    segment: plan.segment,
    syncTaskId: plan.syncTaskId,
    pageNumber,
    totalPages: pageCount(plan),
    add: plan.add.slice(Math.min(start, addCount), Math.min(end, addCount)),
    remove: plan.remove.slice(Math.max(0, start - addCount), Math.max(0, end - addCount)),
  });
}
