// Splits a sync into pages sharing one sync_task_id, the way Heap pages a sync, building each page
// only when it is asked for: memory holds one page, whatever the size of the sync.
import { bodyBytes, syncPagePayload } from '../../spec/src/index.ts';
import type { PlannedBody } from './deliverAll.ts';

type IdBatches = Iterable<string[]> | AsyncIterable<string[]>;

export interface SyncPlan {
  idToken: string;
  segment: { id: number; name: string };
  syncTaskId: string;
  /** How many users enter and leave: known before the first page, which carries total_pages. */
  addCount: number;
  removeCount: number;
  /** The ids themselves, read in batches as pages are built (each source read once). */
  add: IdBatches;
  remove: IdBatches;
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
  let pageNumber = 0;
  let add: string[] = [];
  let remove: string[] = [];
  const page = (): PlannedBody => {
    pageNumber++;
    if (pageNumber > totalPages) {
      throw new Error(`more users than counted before sending: did a file change while read?`);
    }
    const body = bodyBytes(
      syncPagePayload({
        idToken: plan.idToken,
        segment: plan.segment,
        syncTaskId: plan.syncTaskId,
        pageNumber,
        totalPages,
        add,
        remove,
      }),
    );
    add = [];
    remove = [];
    return { label: `page ${pageNumber}/${totalPages}`, body };
  };
  for (const [source, list] of [
    [plan.add, 'add'],
    [plan.remove, 'remove'],
  ] as const) {
    for await (const batch of source) {
      let from = 0;
      while (from < batch.length) {
        const target = list === 'add' ? add : remove;
        const room = plan.pageSize - add.length - remove.length;
        const taken = batch.slice(from, from + room);
        for (const id of taken) target.push(id);
        from += taken.length;
        if (add.length + remove.length === plan.pageSize) yield page();
      }
    }
  }
  if (add.length + remove.length > 0 || pageNumber === 0) yield page();
  if (pageNumber < totalPages) {
    throw new Error(`fewer users than counted before sending: did a file change while read?`);
  }
}
