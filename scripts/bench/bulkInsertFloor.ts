// The floor of the PostgreSQL ingest benchmark, as one file: the same membership rows the store
// writes for a run of 10k-user pages, bulk-inserted with pg (one `unnest` INSERT per page, each its
// own transaction, the same number in flight) into a table shaped like the store's, and nothing
// else. Prints one JSON line: {"durationMs": ...}.
import pg from 'pg';

const databaseUrl = process.env.DATABASE_URL!;
const pages = Number(process.env.PAGES);
const usersPerPage = Number(process.env.USERS_PER_PAGE);
const concurrency = Number(process.env.CONCURRENCY);
const segmentKey = Number(process.env.SEGMENT_KEY);

const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
await pool.query(`CREATE TABLE IF NOT EXISTS floor_memberships (
  segment_key bigint NOT NULL,
  user_id bytea NOT NULL,
  is_member boolean NOT NULL,
  task_order bigint NOT NULL,
  page_number bigint NOT NULL,
  PRIMARY KEY (segment_key, user_id)
)`);
const pageRows = Array.from({ length: pages }, (_, page) =>
  Array.from({ length: usersPerPage }, (_, user) =>
    Buffer.from(`user-${page}-${user}@example.com`),
  ),
);
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < pages) {
      const page = next++;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO floor_memberships (segment_key, user_id, is_member, task_order, page_number)
           SELECT $1, user_id, true, 1, $2 FROM unnest($3::bytea[]) AS t (user_id)`,
          [segmentKey, page + 1, pageRows[page]],
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }
  }),
);
const durationMs = performance.now() - started;
await pool.end();
console.log(JSON.stringify({ durationMs }));
