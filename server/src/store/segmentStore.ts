// What the webhook receiver needs from a store. The SQLite store implements it; a PostgreSQL store
// can implement the same interface (every method is async for that reason).
import type { components } from '../../../generated/partner-inspection-api.ts';
import type { ConnectionStore } from './connectionStore.ts';
import type { StoreHealth } from './storeHealth.ts';

export type SegmentSummary = components['schemas']['SegmentSummary'];
export type SyncTaskSummary = components['schemas']['SyncTaskSummary'];
export type MemberPage = components['schemas']['MemberPage'];

/** One sync page, reduced to what changes membership. */
export interface SyncPageInput {
  idToken: string;
  segment: { id: number; name: string };
  syncTaskId: string;
  pageNumber: number;
  totalPages: number;
  /** User ids that entered the segment. */
  add: readonly string[];
  /** User ids that left the segment. */
  remove: readonly string[];
  receivedAt: Date;
}

export type SyncPageOutcome =
  /** The page's changes were committed. */
  | { result: 'applied'; added: number; removed: number }
  /** The page was applied before: nothing changed. */
  | { result: 'duplicate' }
  /** The page's sync task began before a later drain: recorded, not applied. */
  | { result: 'superseded' };

/**
 * A page written together with its account's lookup: `connected` says whether the account was
 * connected when the page was written; `outcome` is null when it was not and the page was refused
 * (nothing written).
 */
export type AccountPageOutcome =
  { connected: boolean; outcome: SyncPageOutcome } | { connected: false; outcome: null };

/**
 * Applies a page as `applySyncPage` does and looks its account up in the same statement. With
 * `unknown: 'reject'` the page of an account that is not connected is not written.
 */
export type AccountPageWriter = (
  page: SyncPageInput,
  unknown: 'accept' | 'reject',
) => Promise<AccountPageOutcome>;

export interface DrainInput {
  idToken: string;
  segment: { id: number; name: string };
  receivedAt: Date;
}

export interface DrainOutcome {
  result: 'drained';
  /** How many members the segment lost. */
  removed: number;
}

export interface IgnoredDeliveryInput {
  idToken: string | undefined;
  actionType: string;
  receivedAt: Date;
}

export interface SegmentStore {
  /**
   * Applies one page in one transaction, once per (id_token, segment, sync_task_id, page_number).
   * Within a segment, a user's latest change wins by (order the sync task was first seen, page
   * number), so pages arriving out of order converge to the in-order result.
   */
  applySyncPage(page: SyncPageInput): Promise<SyncPageOutcome>;
  /**
   * A writer that looks a page's account up in `connections` in the same round trip as its write,
   * where this store's database holds those connections; undefined otherwise (the account is then
   * looked up apart, before the write).
   */
  accountPageWriter?(connections: ConnectionStore): AccountPageWriter | undefined;
  /**
   * Empties the segment. Pages of sync tasks first seen before the drain are superseded from then
   * on, so a late retry of an older page cannot bring drained users back.
   */
  drainSegment(drain: DrainInput): Promise<DrainOutcome>;
  /** Records a delivery whose action type is not known, without acting on it. */
  recordIgnoredDelivery(delivery: IgnoredDeliveryInput): Promise<void>;
  listSegments(filter?: { idToken?: string }): Promise<SegmentSummary[]>;
  /** Members in ascending id order, `limit` at a time, starting after `after`. */
  listMembers(
    idToken: string,
    segmentId: number,
    page: { limit: number; after?: string },
  ): Promise<MemberPage>;
  listSyncTasks(filter?: { idToken?: string; segmentId?: number }): Promise<SyncTaskSummary[]>;
  /**
   * The database's state for `/healthcheck`, found without waiting on a lock. Failing writes throw
   * StoreUnavailableError (locked or failing database), which the server answers with 503.
   */
  health?(): Promise<StoreHealth>;
  close(): Promise<void>;
}
