// Deliveries that carry their own membership change, so a sequence of them can be checked against
// the membership model: sync pages and drains of any segment of either account, and redeliveries.
import {
  bodyBytes,
  drainPayload,
  showUserId,
  syncPagePayload,
  type MembershipDelivery,
  type OutgoingDelivery,
} from '../../../spec/src/index.ts';
import type { CaseContext } from './caseTypes.ts';
import { signedTo } from './requestBuilders.ts';

/** One delivery of a checked sequence; signed when built, so each send carries a fresh timestamp. */
export interface ModelDelivery {
  /** How a report names it: "sync task T1 page 2/3 of segment 5 (account B): add [...]". */
  label: string;
  change: MembershipDelivery;
  build(): OutgoingDelivery;
}

export interface SegmentRef {
  idToken: string;
  segmentId: number;
  /** How a report names the segment, e.g. `segment 2 (account B)`. */
  name: string;
}

export interface PageRef {
  taskId: string;
  /** How a report names the task, e.g. `T1`. */
  taskName: string;
  page: number;
  of: number;
  add: readonly string[];
  remove: readonly string[];
}

const MAX_LISTED = 8;

/** A list of ids as a reader can tell them apart (JSON, non-ASCII escaped), shortened when long. */
export function showIds(ids: readonly string[]): string {
  const shown = ids.slice(0, MAX_LISTED).map(showUserId);
  return `[${shown.join(', ')}${ids.length > MAX_LISTED ? `, … ${ids.length - MAX_LISTED} more` : ''}]`;
}

export function syncPageDelivery(
  context: CaseContext,
  segment: SegmentRef,
  page: PageRef,
): ModelDelivery {
  const body = bodyBytes(
    syncPagePayload({
      idToken: segment.idToken,
      segment: { id: segment.segmentId, name: `Conformance ${segment.segmentId}` },
      syncTaskId: page.taskId,
      pageNumber: page.page,
      totalPages: page.of,
      add: [...page.add],
      remove: [...page.remove],
    }),
  );
  return {
    label:
      `sync task ${page.taskName} page ${page.page}/${page.of} of ${segment.name}: ` +
      `add ${showIds(page.add)}, remove ${showIds(page.remove)}`,
    change: {
      kind: 'sync',
      idToken: segment.idToken,
      segmentId: segment.segmentId,
      syncTaskId: page.taskId,
      pageNumber: page.page,
      add: page.add,
      remove: page.remove,
    },
    build: () => signedTo(context.url, body, context),
  };
}

export function drainDelivery(context: CaseContext, segment: SegmentRef): ModelDelivery {
  const body = bodyBytes(
    drainPayload({
      idToken: segment.idToken,
      segment: { id: segment.segmentId, name: `Conformance ${segment.segmentId}` },
    }),
  );
  return {
    label: `drain of ${segment.name}`,
    change: { kind: 'drain', idToken: segment.idToken, segmentId: segment.segmentId },
    build: () => signedTo(context.drainUrl, body, context),
  };
}

/** The same delivery again, as Heap's retry sends it: the same body, signed anew. */
export const redelivery = (original: ModelDelivery): ModelDelivery => ({
  ...original,
  label: `again: ${original.label}`,
});

/** Pages of `pageSize` users adding `ids` to a segment in one new sync task. */
export function fillingPages(
  context: CaseContext,
  segment: SegmentRef,
  task: { taskId: string; taskName: string },
  ids: readonly string[],
  pageSize = 1_000,
): ModelDelivery[] {
  const of = Math.max(1, Math.ceil(ids.length / pageSize));
  return Array.from({ length: of }, (_, index) =>
    syncPageDelivery(context, segment, {
      ...task,
      page: index + 1,
      of,
      add: ids.slice(index * pageSize, (index + 1) * pageSize),
      remove: [],
    }),
  );
}
