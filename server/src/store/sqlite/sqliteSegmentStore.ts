// The embedded store: segment membership in one SQLite file (WAL mode). Each delivery is applied
// atomically (its own savepoint) and acknowledged only after the transaction holding it committed.
// Strings from payloads are bound and read as exact bytes (exactText.ts): better-sqlite3 would turn
// a lone surrogate into U+FFFD both ways, merging distinct ids.
import type Database from 'better-sqlite3';
import type { ConnectionStore } from '../connectionStore.ts';
import type {
  AccountPageOutcome,
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
import { decodeExactText, encodeExactText } from '../exactText.ts';
import type { CommitRecorder } from '../commitRecorder.ts';
import type { StoreHealth } from '../storeHealth.ts';
import { GroupCommit } from './groupCommit.ts';
import { SqliteConnectionStore } from './sqliteConnectionStore.ts';
import { openSqliteDatabase, type SqliteOpenOptions } from './openSqliteDatabase.ts';
import { sqliteHealth } from './sqliteHealth.ts';
import { storeFault, withStoreFaults } from './sqliteFault.ts';
import { walCheckpointer, type WalCheckpointer } from './walCheckpointer.ts';

export interface SqliteStoreOptions extends Omit<SqliteOpenOptions, 'busyTimeoutMs'> {
  /**
   * How long a write may wait for a lock held by another process (default 200 ms). SQLite waits
   * synchronously, blocking the event loop, so this stays short: past it the write fails with
   * StoreUnavailableError and the delivery gets 503 (Heap retries).
   */
  busyTimeoutMs?: number;
  /** Told how long each group transaction that committed took. */
  commitRecorder?: CommitRecorder;
}

type Statement = Database.Statement<unknown[], unknown>;

export class SqliteSegmentStore implements SegmentStore {
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #statements: Record<string, Statement>;
  readonly #commits: GroupCommit;
  readonly #checkpointer: WalCheckpointer;

  constructor(options: SqliteStoreOptions) {
    const busyTimeoutMs = options.busyTimeoutMs ?? 200;
    this.#file = options.file;
    this.#db = openSqliteDatabase({ ...options, busyTimeoutMs });
    const prepare = (sql: string): Statement => this.#db.prepare(sql);
    // A membership change is made only if it is at least as recent as the one that set the row.
    // A row this same page already set is changed only if it flips is_member (a user in both
    // lists); rewriting it with equal values would change nothing, and leaving it alone makes each
    // distinct user change at most one row, which #writeMembers counts on.
    const upsertMemberships = (isMember: 0 | 1) =>
      prepare(
        `INSERT INTO memberships (segment_key, user_id, is_member, task_order, page_number)
         SELECT @segmentKey, value, ${isMember}, @taskOrder, @pageNumber FROM json_each(@userIds) WHERE true
         ON CONFLICT (segment_key, user_id) DO UPDATE
           SET is_member = excluded.is_member, task_order = excluded.task_order, page_number = excluded.page_number
           WHERE (excluded.task_order, excluded.page_number) > (memberships.task_order, memberships.page_number)
              OR ((excluded.task_order, excluded.page_number) = (memberships.task_order, memberships.page_number)
                  AND excluded.is_member <> memberships.is_member)`,
      );
    this.#statements = {
      upsertSegment: prepare(
        `INSERT INTO segments (id_token, segment_id, name, updated_at)
         VALUES (CAST(? AS TEXT), ?, CAST(? AS TEXT), ?)
         ON CONFLICT (id_token, segment_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
         RETURNING segment_key, drained_through_task`,
      ),
      upsertTask: prepare(
        `INSERT INTO sync_tasks (segment_key, sync_task_id, total_pages, first_seen_at)
         VALUES (?, CAST(? AS TEXT), ?, ?)
         ON CONFLICT (segment_key, sync_task_id) DO UPDATE SET total_pages = excluded.total_pages
         RETURNING task_order`,
      ),
      // A page seen before only counts a redelivery: its RETURNING redeliveries is then above 0.
      insertPage: prepare(
        `INSERT INTO sync_pages (task_order, page_number, result, added, removed, received_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (task_order, page_number) DO UPDATE SET redeliveries = redeliveries + 1
         RETURNING redeliveries`,
      ),
      setPageCounts: prepare(
        `UPDATE sync_pages SET added = ?, removed = ? WHERE task_order = ? AND page_number = ?`,
      ),
      addMembers: upsertMemberships(1),
      removeMembers: upsertMemberships(0),
      markDrained: prepare(
        `UPDATE segments SET last_drained_at = ?,
           drained_through_task = (SELECT COALESCE(MAX(task_order), 0) FROM sync_tasks)
         WHERE segment_key = ?`,
      ),
      countMembers: prepare(
        `SELECT COUNT(*) AS count FROM memberships WHERE segment_key = ? AND is_member = 1`,
      ),
      deleteMemberships: prepare(`DELETE FROM memberships WHERE segment_key = ?`),
      insertIgnored: prepare(
        `INSERT INTO ignored_deliveries (received_at, id_token, action_type)
         VALUES (?, CAST(? AS TEXT), CAST(? AS TEXT))`,
      ),
      listMembers: prepare(
        `SELECT CAST(m.user_id AS BLOB) AS user_id
         FROM memberships m JOIN segments s ON s.segment_key = m.segment_key
         WHERE s.id_token = CAST(? AS TEXT) AND s.segment_id = ? AND m.is_member = 1
           AND m.user_id > CAST(? AS TEXT)
         ORDER BY m.user_id LIMIT ?`,
      ),
      listSegments: prepare(
        `SELECT CAST(s.id_token AS BLOB) AS id_token, s.segment_id, CAST(s.name AS BLOB) AS name,
                s.last_drained_at, s.updated_at,
                (SELECT COUNT(*) FROM memberships m
                  WHERE m.segment_key = s.segment_key AND m.is_member = 1) AS member_count
         FROM segments s
         WHERE (@idToken IS NULL OR s.id_token = CAST(@idToken AS TEXT))
         ORDER BY s.id_token, s.segment_id`,
      ),
      listTasks: prepare(
        `SELECT CAST(s.id_token AS BLOB) AS id_token, s.segment_id,
                CAST(t.sync_task_id AS BLOB) AS sync_task_id, t.total_pages, t.first_seen_at, t.task_order
         FROM sync_tasks t JOIN segments s ON s.segment_key = t.segment_key
         WHERE (@idToken IS NULL OR s.id_token = CAST(@idToken AS TEXT)) AND (@segmentId IS NULL OR s.segment_id = @segmentId)
         ORDER BY t.task_order`,
      ),
      listPages: prepare(
        `SELECT page_number, result, added, removed, received_at, redeliveries FROM sync_pages
         WHERE task_order = ? ORDER BY page_number`,
      ),
    };
    this.#checkpointer = walCheckpointer(this.#db, options.file);
    this.#commits = new GroupCommit(this.#db, {
      busyTimeoutMs,
      commitRecorder: options.commitRecorder,
      onCommitted: () => this.#checkpointer.committed(),
    });
  }

  #upsertSegment(
    idToken: string,
    segment: { id: number; name: string },
    at: string,
  ): { segment_key: number; drained_through_task: number } {
    return this.#statements.upsertSegment!.get(
      encodeExactText(idToken),
      segment.id,
      encodeExactText(segment.name),
      at,
    ) as {
      segment_key: number;
      drained_through_task: number;
    };
  }

  #applyPageNow(page: SyncPageInput): SyncPageOutcome {
    const s = this.#statements;
    const at = page.receivedAt.toISOString();
    const segment = this.#upsertSegment(page.idToken, page.segment, at);
    const { task_order: taskOrder } = s.upsertTask!.get(
      segment.segment_key,
      encodeExactText(page.syncTaskId),
      page.totalPages,
      at,
    ) as { task_order: number };
    const superseded = taskOrder <= segment.drained_through_task;
    // The page's counts are set once its members are written (#writeMembers counts them).
    const { redeliveries } = s.insertPage!.get(
      taskOrder,
      page.pageNumber,
      superseded ? 'superseded' : 'applied',
      0,
      0,
      at,
    ) as { redeliveries: number };
    if (redeliveries > 0) return { result: 'duplicate' };
    if (superseded) return { result: 'superseded' };
    const change = { segmentKey: segment.segment_key, taskOrder, pageNumber: page.pageNumber };
    // Removals first: a user listed in both lists of one page ends up a member.
    const removed = this.#writeMembers(s.removeMembers!, change, page.remove);
    const added = this.#writeMembers(s.addMembers!, change, page.add);
    if (added > 0 || removed > 0) s.setPageCounts!.run(added, removed, taskOrder, page.pageNumber);
    return { result: 'applied', added, removed };
  }

  /**
   * Writes one list of a page's members and returns how many distinct users it holds (an id listed
   * twice is one member). Each distinct user changes at most one row, so when as many rows changed
   * as ids were listed, they are all distinct; otherwise (a repeated id, or a row a later page set)
   * they are counted.
   */
  #writeMembers(
    statement: Statement,
    change: { segmentKey: number; taskOrder: number; pageNumber: number },
    userIds: readonly string[],
  ): number {
    if (userIds.length === 0) return 0;
    const { changes } = statement.run({ ...change, userIds: JSON.stringify(userIds) });
    return changes === userIds.length ? changes : new Set(userIds).size;
  }

  #drainNow(drain: DrainInput): DrainOutcome {
    const s = this.#statements;
    const at = drain.receivedAt.toISOString();
    const { segment_key: segmentKey } = this.#upsertSegment(drain.idToken, drain.segment, at);
    s.markDrained!.run(at, segmentKey);
    const { count } = s.countMembers!.get(segmentKey) as { count: number };
    s.deleteMemberships!.run(segmentKey);
    return { result: 'drained', removed: count };
  }

  /** Runs a write in the next group transaction, with SQLite's faults as StoreUnavailableError. */
  async #write<T>(work: () => T): Promise<T> {
    try {
      return await this.#commits.run(work);
    } catch (error) {
      throw storeFault(error);
    }
  }

  applySyncPage(page: SyncPageInput): Promise<SyncPageOutcome> {
    return this.#write(() => this.#applyPageNow(page));
  }

  /**
   * Only for connections kept in this store's file: the account is then looked up inside the
   * page's group transaction, on this store's own handle (bound as the connection store binds it).
   */
  accountPageWriter(connections: ConnectionStore): AccountPageWriter | undefined {
    if (!(connections instanceof SqliteConnectionStore) || !connections.readsFile(this.#file))
      return undefined;
    const find = this.#db.prepare('SELECT 1 FROM connections WHERE id_token = ?').pluck();
    return (page, unknown) =>
      this.#write((): AccountPageOutcome => {
        const connected = find.get(page.idToken) !== undefined;
        if (!connected && unknown === 'reject') return { connected, outcome: null };
        return { connected, outcome: this.#applyPageNow(page) };
      });
  }

  drainSegment(drain: DrainInput): Promise<DrainOutcome> {
    return this.#write(() => this.#drainNow(drain));
  }

  async recordIgnoredDelivery(delivery: IgnoredDeliveryInput): Promise<void> {
    await this.#write(() =>
      this.#statements.insertIgnored!.run(
        delivery.receivedAt.toISOString(),
        delivery.idToken === undefined ? null : encodeExactText(delivery.idToken),
        encodeExactText(delivery.actionType),
      ),
    );
  }

  async health(): Promise<StoreHealth> {
    return sqliteHealth(this.#db);
  }

  async listSegments(filter: { idToken?: string } = {}): Promise<SegmentSummary[]> {
    const rows = withStoreFaults(
      () =>
        this.#statements.listSegments!.all({
          idToken: filter.idToken === undefined ? null : encodeExactText(filter.idToken),
        }) as (Omit<SegmentSummary, 'id_token' | 'name'> & { id_token: Buffer; name: Buffer })[],
    );
    return rows.map((row) => ({
      ...row,
      id_token: decodeExactText(row.id_token),
      name: decodeExactText(row.name),
    }));
  }

  async listMembers(
    idToken: string,
    segmentId: number,
    page: { limit: number; after?: string },
  ): Promise<MemberPage> {
    const rows = withStoreFaults(
      () =>
        this.#statements.listMembers!.all(
          encodeExactText(idToken),
          segmentId,
          encodeExactText(page.after ?? ''),
          page.limit + 1,
        ) as { user_id: Buffer }[],
    );
    const members = rows.slice(0, page.limit).map((row) => decodeExactText(row.user_id));
    return { members, next_after: rows.length > page.limit ? (members.at(-1) ?? null) : null };
  }

  async listSyncTasks(
    filter: { idToken?: string; segmentId?: number } = {},
  ): Promise<SyncTaskSummary[]> {
    return withStoreFaults(() => {
      const tasks = this.#statements.listTasks!.all({
        idToken: filter.idToken === undefined ? null : encodeExactText(filter.idToken),
        segmentId: filter.segmentId ?? null,
      }) as (Omit<SyncTaskSummary, 'pages' | 'id_token' | 'sync_task_id'> & {
        task_order: number;
        id_token: Buffer;
        sync_task_id: Buffer;
      })[];
      return tasks.map(({ task_order: taskOrder, ...task }) => ({
        ...task,
        id_token: decodeExactText(task.id_token),
        sync_task_id: decodeExactText(task.sync_task_id),
        pages: this.#statements.listPages!.all(taskOrder) as SyncTaskSummary['pages'],
      }));
    });
  }

  async close(): Promise<void> {
    await this.#checkpointer.close();
    if (this.#db.open) this.#db.close();
  }
}
