// Segment membership in PostgreSQL, shared by any number of server instances. A page is one call
// of apply_sync_page (migrations.ts), one transaction and one round trip: its segment row is held
// FOR SHARE (a drain takes it exclusively, so pages and drains of one segment are ordered, while
// pages of one segment run side by side), and its membership changes are one bulk write of
// `unnest`ed arrays, sorted so that concurrent pages lock rows in the same order.
import type { Pool, QueryResult, QueryResultRow } from 'pg';
import type { ConnectionStore } from '../connectionStore.ts';
import { timedCommit, type CommitRecorder } from '../commitRecorder.ts';
import { decodeExactText, encodeExactText } from '../exactText.ts';
import type {
  AccountPageWriter,
  DrainInput,
  DrainOutcome,
  IgnoredDeliveryInput,
  MemberPage,
  SegmentStore,
  SegmentSummary,
  SyncPageInput,
  SyncPageOutcome,
  SyncTaskSummary,
} from '../segmentStore.ts';
import type { StoreHealth } from '../storeHealth.ts';
import { booleanArray, byteaArrayOfTexts } from './binaryArrays.ts';
import { PostgresConnectionStore } from './postgresConnectionStore.ts';
import { inTransaction, retryingConflicts } from './transaction.ts';

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

/**
 * Each distinct user once, with its final state in the page (listed in `add` wins over `remove`),
 * and how many distinct users each list holds (an id listed twice is one member): the two lists
 * sorted and merged, so no id is hashed. Any fixed order of the ids serves for locking: the
 * strings' own (UTF-16 code units) is the cheapest to sort by, and distinct ids are distinct
 * strings.
 */
function membershipChanges(page: SyncPageInput): {
  userIds: string[];
  isMember: boolean[];
  added: number;
  removed: number;
} {
  const adds = page.add.slice().sort();
  const removes = page.remove.slice().sort();
  const userIds: string[] = [];
  const isMember: boolean[] = [];
  let added = 0;
  let removed = 0;
  let a = 0;
  let r = 0;
  while (a < adds.length || r < removes.length) {
    const id =
      r === removes.length || (a < adds.length && adds[a]! <= removes[r]!) ? adds[a]! : removes[r]!;
    const start = a;
    while (a < adds.length && adds[a] === id) a++;
    if (a > start) added++;
    const removedFrom = r;
    while (r < removes.length && removes[r] === id) r++;
    if (r > removedFrom) removed++;
    userIds.push(id);
    isMember.push(a > start);
  }
  return { userIds, isMember, added, removed };
}

type PageResult = 'applied' | 'duplicate' | 'superseded';

/** The steps of a page are in apply_sync_page (migrations.ts). */
const APPLY_PAGE = 'apply_sync_page($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)';
const IS_CONNECTED = 'EXISTS (SELECT 1 FROM connections WHERE id_token = $1)';
const PAGE_WRITE = { name: 'apply_sync_page', text: `SELECT ${APPLY_PAGE} AS result` };
/** Any account's page, and whether the account is connected. */
const ANY_ACCOUNT_PAGE_WRITE = {
  name: 'apply_sync_page_any_account',
  text: `SELECT ${APPLY_PAGE} AS result, ${IS_CONNECTED} AS connected`,
};
/** A connected account's page; nothing is written (result null) for another account's. */
const CONNECTED_PAGE_WRITE = {
  name: 'apply_sync_page_connected_account',
  text: `SELECT CASE WHEN ${IS_CONNECTED} THEN ${APPLY_PAGE} END AS result`,
};

function pageParameters(page: SyncPageInput): {
  added: number;
  removed: number;
  values: unknown[];
} {
  const { added, removed, userIds, isMember } = membershipChanges(page);
  return {
    added,
    removed,
    values: [
      encodeExactText(page.idToken),
      page.segment.id,
      encodeExactText(page.segment.name),
      encodeExactText(page.syncTaskId),
      page.pageNumber,
      page.totalPages,
      page.receivedAt,
      // Each array one binary parameter.
      byteaArrayOfTexts(userIds),
      booleanArray(isMember),
      added,
      removed,
    ],
  };
}

function pageOutcome(result: PageResult, added: number, removed: number): SyncPageOutcome {
  return result === 'applied' ? { result, added, removed } : { result };
}

export class PostgresSegmentStore implements SegmentStore {
  readonly #pool: Pool;
  readonly #release: () => Promise<void>;
  readonly #commitRecorder: CommitRecorder | undefined;

  /** `commitRecorder` is told how long each write (a page, a drain, an ignored delivery) took. */
  constructor(pool: Pool, release: () => Promise<void>, commitRecorder?: CommitRecorder) {
    this.#pool = pool;
    this.#release = release;
    this.#commitRecorder = commitRecorder;
  }

  /** One round trip on a pooled connection; rows locked by other instances are not touched. */
  async health(): Promise<StoreHealth> {
    try {
      await this.#pool.query('SELECT 1');
      return { database: 'ok' };
    } catch {
      return { database: 'unavailable' };
    }
  }

  async applySyncPage(page: SyncPageInput): Promise<SyncPageOutcome> {
    const { added, removed, values } = pageParameters(page);
    const { rows } = await this.#write<{ result: PageResult }>(PAGE_WRITE, values);
    return pageOutcome(rows[0]!.result, added, removed);
  }

  /** Only for connections in this store's database (read through the same pool). */
  accountPageWriter(connections: ConnectionStore): AccountPageWriter | undefined {
    if (!(connections instanceof PostgresConnectionStore) || !connections.readsThrough(this.#pool))
      return undefined;
    return async (page, unknown) => {
      const { added, removed, values } = pageParameters(page);
      if (unknown === 'reject') {
        const { rows } = await this.#write<{ result: PageResult | null }>(
          CONNECTED_PAGE_WRITE,
          values,
        );
        const result = rows[0]!.result;
        return result === null
          ? { connected: false, outcome: null }
          : { connected: true, outcome: pageOutcome(result, added, removed) };
      }
      const { rows } = await this.#write<{ result: PageResult; connected: boolean }>(
        ANY_ACCOUNT_PAGE_WRITE,
        values,
      );
      const { result, connected } = rows[0]!;
      return { connected, outcome: pageOutcome(result, added, removed) };
    };
  }

  /** One of the page statements: one statement, one round trip, prepared once per connection. */
  #write<Row extends QueryResultRow>(
    statement: { name: string; text: string },
    values: unknown[],
  ): Promise<QueryResult<Row>> {
    return timedCommit(this.#commitRecorder, () =>
      retryingConflicts(() => this.#pool.query<Row>({ ...statement, values })),
    );
  }

  drainSegment(drain: DrainInput): Promise<DrainOutcome> {
    return timedCommit(this.#commitRecorder, () => this.#drainNow(drain));
  }

  #drainNow(drain: DrainInput): Promise<DrainOutcome> {
    return inTransaction(this.#pool, async (client): Promise<DrainOutcome> => {
      // Taking the segment row exclusively waits for the pages in flight and holds off new ones.
      const { rows } = await client.query<{ segment_key: string }>(
        `INSERT INTO segments (id_token, segment_id, name, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id_token, segment_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
         RETURNING segment_key`,
        [
          encodeExactText(drain.idToken),
          drain.segment.id,
          encodeExactText(drain.segment.name),
          drain.receivedAt,
        ],
      );
      const segmentKey = rows[0]!.segment_key;
      await client.query(
        `UPDATE segments SET last_drained_at = $2,
           drained_through_task = (SELECT COALESCE(MAX(task_order), 0) FROM sync_tasks WHERE segment_key = $1)
         WHERE segment_key = $1`,
        [segmentKey, drain.receivedAt],
      );
      const deleted = await client.query<{ removed: number }>(
        `WITH gone AS (DELETE FROM memberships WHERE segment_key = $1 RETURNING is_member)
         SELECT (count(*) FILTER (WHERE is_member))::integer AS removed FROM gone`,
        [segmentKey],
      );
      return { result: 'drained', removed: deleted.rows[0]!.removed };
    });
  }

  async recordIgnoredDelivery(delivery: IgnoredDeliveryInput): Promise<void> {
    await timedCommit(this.#commitRecorder, () =>
      retryingConflicts(() =>
        this.#pool.query(
          'INSERT INTO ignored_deliveries (received_at, id_token, action_type) VALUES ($1, $2, $3)',
          [
            delivery.receivedAt,
            delivery.idToken === undefined ? null : encodeExactText(delivery.idToken),
            encodeExactText(delivery.actionType),
          ],
        ),
      ),
    );
  }

  async listSegments(filter: { idToken?: string } = {}): Promise<SegmentSummary[]> {
    const { rows } = await this.#pool.query<{
      id_token: Buffer;
      segment_id: string;
      name: Buffer;
      last_drained_at: Date | null;
      updated_at: Date;
      member_count: number;
    }>(
      `SELECT s.id_token, s.segment_id, s.name, s.last_drained_at,
              GREATEST(s.updated_at, (SELECT MAX(p.received_at) FROM sync_tasks t
                JOIN sync_pages p ON p.task_order = t.task_order WHERE t.segment_key = s.segment_key)
              ) AS updated_at,
              (SELECT count(*) FROM memberships m
                WHERE m.segment_key = s.segment_key AND m.is_member)::integer AS member_count
       FROM segments s
       WHERE ($1::bytea IS NULL OR s.id_token = $1)
       ORDER BY s.id_token, s.segment_id`,
      [filter.idToken === undefined ? null : encodeExactText(filter.idToken)],
    );
    return rows.map((row) => ({
      id_token: decodeExactText(row.id_token),
      segment_id: Number(row.segment_id),
      name: decodeExactText(row.name),
      last_drained_at: iso(row.last_drained_at),
      updated_at: row.updated_at.toISOString(),
      member_count: row.member_count,
    }));
  }

  async listMembers(
    idToken: string,
    segmentId: number,
    page: { limit: number; after?: string },
  ): Promise<MemberPage> {
    const { rows } = await this.#pool.query<{ user_id: Buffer }>(
      `SELECT m.user_id FROM memberships m JOIN segments s ON s.segment_key = m.segment_key
       WHERE s.id_token = $1 AND s.segment_id = $2 AND m.is_member AND m.user_id > $3
       ORDER BY m.user_id LIMIT $4`,
      [encodeExactText(idToken), segmentId, encodeExactText(page.after ?? ''), page.limit + 1],
    );
    const members = rows.slice(0, page.limit).map((row) => decodeExactText(row.user_id));
    return { members, next_after: rows.length > page.limit ? (members.at(-1) ?? null) : null };
  }

  async listSyncTasks(
    filter: { idToken?: string; segmentId?: number } = {},
  ): Promise<SyncTaskSummary[]> {
    const tasks = await this.#pool.query<{
      task_order: string;
      id_token: Buffer;
      segment_id: string;
      sync_task_id: Buffer;
      total_pages: string;
      first_seen_at: Date;
    }>(
      `SELECT t.task_order, s.id_token, s.segment_id, t.sync_task_id, t.total_pages, t.first_seen_at
       FROM sync_tasks t JOIN segments s ON s.segment_key = t.segment_key
       WHERE ($1::bytea IS NULL OR s.id_token = $1) AND ($2::bigint IS NULL OR s.segment_id = $2)
       ORDER BY t.task_order`,
      [
        filter.idToken === undefined ? null : encodeExactText(filter.idToken),
        filter.segmentId ?? null,
      ],
    );
    const pages = await this.#pool.query<{
      task_order: string;
      page_number: string;
      result: SyncTaskSummary['pages'][number]['result'];
      added: number;
      removed: number;
      received_at: Date;
      redeliveries: number;
    }>(
      `SELECT task_order, page_number, result, added, removed, received_at, redeliveries
       FROM sync_pages WHERE task_order = ANY ($1::bigint[]) ORDER BY task_order, page_number`,
      [tasks.rows.map((task) => task.task_order)],
    );
    const pagesOf = new Map<string, SyncTaskSummary['pages']>();
    for (const { task_order: taskOrder, ...row } of pages.rows) {
      const list = pagesOf.get(taskOrder) ?? [];
      list.push({
        ...row,
        page_number: Number(row.page_number),
        received_at: row.received_at.toISOString(),
      });
      pagesOf.set(taskOrder, list);
    }
    return tasks.rows.map((task) => ({
      id_token: decodeExactText(task.id_token),
      segment_id: Number(task.segment_id),
      sync_task_id: decodeExactText(task.sync_task_id),
      total_pages: Number(task.total_pages),
      first_seen_at: task.first_seen_at.toISOString(),
      pages: pagesOf.get(task.task_order) ?? [],
    }));
  }

  close(): Promise<void> {
    return this.#release();
  }
}
