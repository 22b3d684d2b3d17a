// The durable floor's PostgreSQL store: each page is one statement, so one transaction and one
// round trip: its page row (the primary key makes a redelivered page change nothing) and, only if
// that row is new, its members as one `unnest` INSERT, keyed by segment and user (ids as UTF-8
// bytea, as the reference server stores them). Each distinct user is written once, listed in `add`
// winning over `remove`. A segment's key is looked up (or created) once and then remembered.
import pg from 'pg';
import type { FloorPage, FloorStore } from './floorReceiver.ts';

const schemaSql = `
CREATE TABLE IF NOT EXISTS floor_segments (
  segment_key bigserial PRIMARY KEY,
  id_token text NOT NULL,
  segment_id bigint NOT NULL,
  UNIQUE (id_token, segment_id)
);
CREATE TABLE IF NOT EXISTS floor_pages (
  segment_key bigint NOT NULL,
  sync_task_id text NOT NULL,
  page_number bigint NOT NULL,
  PRIMARY KEY (segment_key, sync_task_id, page_number)
);
CREATE TABLE IF NOT EXISTS floor_members (
  segment_key bigint NOT NULL,
  user_id bytea NOT NULL,
  is_member boolean NOT NULL,
  PRIMARY KEY (segment_key, user_id)
);
`;

const storePageSql = `
WITH page AS (
  INSERT INTO floor_pages (segment_key, sync_task_id, page_number) VALUES ($1, $2, $3)
  ON CONFLICT DO NOTHING
  RETURNING segment_key
)
INSERT INTO floor_members (segment_key, user_id, is_member)
SELECT page.segment_key, change.user_id, change.is_member
FROM page, unnest($4::bytea[], $5::boolean[]) AS change (user_id, is_member)
ON CONFLICT (segment_key, user_id) DO UPDATE SET is_member = excluded.is_member`;

export async function openPostgresFloorStore(databaseUrl: string): Promise<FloorStore> {
  const pool = new pg.Pool({ connectionString: databaseUrl });
  await pool.query(schemaSql);
  const segmentKeys = new Map<string, Promise<string>>();

  const segmentKey = (idToken: string, segmentId: number): Promise<string> => {
    const name = JSON.stringify([idToken, segmentId]);
    let key = segmentKeys.get(name);
    if (key === undefined) {
      key = pool
        .query<{ segment_key: string }>(
          `INSERT INTO floor_segments (id_token, segment_id) VALUES ($1, $2)
           ON CONFLICT (id_token, segment_id) DO UPDATE SET segment_id = excluded.segment_id
           RETURNING segment_key`,
          [idToken, segmentId],
        )
        .then(({ rows }) => rows[0]!.segment_key);
      key.catch(() => segmentKeys.delete(name));
      segmentKeys.set(name, key);
    }
    return key;
  };

  return {
    async storePage(page: FloorPage) {
      const changes = new Map<string, boolean>();
      for (const id of page.remove) changes.set(id, false);
      for (const id of page.add) changes.set(id, true);
      const userIds: Buffer[] = [];
      const isMember: boolean[] = [];
      for (const [id, member] of changes) {
        userIds.push(Buffer.from(id, 'utf8'));
        isMember.push(member);
      }
      await pool.query(storePageSql, [
        await segmentKey(page.idToken, page.segmentId),
        page.syncTaskId,
        page.pageNumber,
        userIds,
        isMember,
      ]);
    },
    async stored(idToken, segmentId) {
      const { rows } = await pool.query<{ pages: number; members: number }>(
        `SELECT (SELECT count(*) FROM floor_pages p WHERE p.segment_key = s.segment_key)::int AS pages,
                (SELECT count(*) FROM floor_members m
                  WHERE m.segment_key = s.segment_key AND m.is_member)::int AS members
         FROM floor_segments s WHERE s.id_token = $1 AND s.segment_id = $2`,
        [idToken, segmentId],
      );
      return rows[0] ?? { pages: 0, members: 0 };
    },
    close: () => pool.end(),
  };
}
