// The durable floor's SQLite store: each page in one transaction of its own (WAL, synchronous
// NORMAL and a 64 MB page cache, as the reference server runs; checkpoints left to SQLite, inside
// the commits), its page row (the primary key makes a redelivered page change nothing) and its
// members, keyed by segment and user, written either with one `json_each` statement per page or
// one prepared insert per user.
import Database from 'better-sqlite3';
import type { FloorPage, FloorStore } from './floorReceiver.ts';

/** How the members of a page are inserted. */
export type FloorInsert = 'json-each' | 'per-user';

export const FLOOR_INSERTS: readonly FloorInsert[] = ['json-each', 'per-user'];

const schemaSql = `
CREATE TABLE IF NOT EXISTS floor_segments (
  segment_key INTEGER PRIMARY KEY,
  id_token TEXT NOT NULL,
  segment_id INTEGER NOT NULL,
  UNIQUE (id_token, segment_id)
);
CREATE TABLE IF NOT EXISTS floor_pages (
  segment_key INTEGER NOT NULL,
  sync_task_id TEXT NOT NULL,
  page_number INTEGER NOT NULL,
  PRIMARY KEY (segment_key, sync_task_id, page_number)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS floor_members (
  segment_key INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  is_member INTEGER NOT NULL,
  PRIMARY KEY (segment_key, user_id)
) WITHOUT ROWID;
`;

const UPSERT_MEMBER =
  'ON CONFLICT (segment_key, user_id) DO UPDATE SET is_member = excluded.is_member';

export function openSqliteFloorStore(file: string, insert: FloorInsert): FloorStore {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.exec(schemaSql);
  const findSegment = db.prepare<[string, number], { segment_key: number }>(
    'SELECT segment_key FROM floor_segments WHERE id_token = ? AND segment_id = ?',
  );
  const insertSegment = db.prepare<[string, number]>(
    'INSERT INTO floor_segments (id_token, segment_id) VALUES (?, ?)',
  );
  const insertPage = db.prepare<[number, string, number]>(
    `INSERT INTO floor_pages (segment_key, sync_task_id, page_number) VALUES (?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const membersJsonEach = db.prepare<[number, number, string]>(
    `INSERT INTO floor_members (segment_key, user_id, is_member)
     SELECT ?, value, ? FROM json_each(?) WHERE true ${UPSERT_MEMBER}`,
  );
  const memberPerUser = db.prepare<[number, string, number]>(
    `INSERT INTO floor_members (segment_key, user_id, is_member) VALUES (?, ?, ?) ${UPSERT_MEMBER}`,
  );
  const writeMembers =
    insert === 'json-each'
      ? (segmentKey: number, ids: string[], isMember: 0 | 1) => {
          if (ids.length > 0) membersJsonEach.run(segmentKey, isMember, JSON.stringify(ids));
        }
      : (segmentKey: number, ids: string[], isMember: 0 | 1) => {
          for (const id of ids) memberPerUser.run(segmentKey, id, isMember);
        };
  const countStored = db.prepare<[string, number], { pages: number; members: number }>(
    `SELECT (SELECT count(*) FROM floor_pages p WHERE p.segment_key = s.segment_key) AS pages,
            (SELECT count(*) FROM floor_members m
              WHERE m.segment_key = s.segment_key AND m.is_member = 1) AS members
     FROM floor_segments s WHERE s.id_token = ? AND s.segment_id = ?`,
  );

  const storePage = db.transaction((page: FloorPage) => {
    const segmentKey =
      findSegment.get(page.idToken, page.segmentId)?.segment_key ??
      Number(insertSegment.run(page.idToken, page.segmentId).lastInsertRowid);
    if (insertPage.run(segmentKey, page.syncTaskId, page.pageNumber).changes === 0) return;
    // Removals first: a user listed in both lists of one page ends up a member.
    writeMembers(segmentKey, page.remove, 0);
    writeMembers(segmentKey, page.add, 1);
  });

  return {
    storePage: (page) => storePage(page),
    stored: async (idToken, segmentId) =>
      countStored.get(idToken, segmentId) ?? { pages: 0, members: 0 },
    close: async () => {
      db.close();
    },
  };
}
