// Splits a sync into pages sharing one sync_task_id, the way Heap pages a sync, building each page
// only when it is asked for: memory holds one page, whatever the size of the sync.
import type { PlannedBody } from './deliverAll.ts';
import { syncPageBodies } from './syncPageBody.ts';
import { batchSize, sliceBatch, type UserIdBatch } from './userIds.ts';

type UserIdBatches = Iterable<UserIdBatch> | AsyncIterable<UserIdBatch>;

export interface SyncPlan {
  idToken: string;
  segment: { id: number; name: string };
  syncTaskId: string;
  /** How many users enter and leave: known before the first page, which carries total_pages. */
  addCount: number;
  removeCount: number;
  /** The users themselves, read in batches as pages are built (each source read once). */
  add: UserIdBatches;
  remove: UserIdBatches;
  /** Users (added plus removed) per page. */
  pageSize: number;
}

/** Number of pages the plan makes; an empty sync is still one (empty) page. */
export function pageCount(plan: SyncPlan): number {
  return Math.max(1, Math.ceil((plan.addCount + plan.removeCount) / plan.pageSize));
}

/** The pages in order, from 1: added users fill pages first, then removed users. */
export async function* syncPages(plan: SyncPlan): AsyncGenerator<PlannedBody> {
  const totalPages = pageCount(plan);
  const bodies = syncPageBodies({
    idToken: plan.idToken,
    segment: plan.segment,
    syncTaskId: plan.syncTaskId,
    totalPages,
  });
  let pageNumber = 0;
  let users = { add: [] as UserIdBatch[], remove: [] as UserIdBatch[] };
  let filled = 0;
  const page = (): PlannedBody => {
    pageNumber++;
    if (pageNumber > totalPages) {
      throw new Error(`more users than counted before sending: did a file change while read?`);
    }
    const body = bodies.build(pageNumber, users);
    users = { add: [], remove: [] };
    filled = 0;
    return { label: `page ${pageNumber}/${totalPages}`, body, release: () => bodies.reuse(body) };
  };
  for (const [source, list] of [
    [plan.add, 'add'],
    [plan.remove, 'remove'],
  ] as const) {
    for await (const batch of source) {
      const size = batchSize(batch);
      let from = 0;
      while (from < size) {
        const taken = Math.min(plan.pageSize - filled, size - from);
        users[list].push(sliceBatch(batch, from, taken));
        from += taken;
        filled += taken;
        if (filled === plan.pageSize) yield page();
      }
    }
  }
  if (filled > 0 || pageNumber === 0) yield page();
  if (pageNumber < totalPages) {
    throw new Error(`fewer users than counted before sending: did a file change while read?`);
  }
}
