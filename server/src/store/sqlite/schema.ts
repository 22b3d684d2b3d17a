// The SQLite schema of the store, applied idempotently when the store opens.
export const SCHEMA_VERSION = 1;

export const schemaSql = `
CREATE TABLE IF NOT EXISTS segments (
  segment_key INTEGER PRIMARY KEY,
  id_token TEXT NOT NULL,
  segment_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  -- the largest task_order that existed when the segment was last drained: pages of those tasks
  -- are superseded
  drained_through_task INTEGER NOT NULL DEFAULT 0,
  last_drained_at TEXT,
  updated_at TEXT NOT NULL,
  UNIQUE (id_token, segment_id)
);

-- task_order grows with every new task (AUTOINCREMENT never reuses a value): it orders tasks
CREATE TABLE IF NOT EXISTS sync_tasks (
  task_order INTEGER PRIMARY KEY AUTOINCREMENT,
  segment_key INTEGER NOT NULL REFERENCES segments (segment_key),
  sync_task_id TEXT NOT NULL,
  total_pages INTEGER NOT NULL,
  first_seen_at TEXT NOT NULL,
  UNIQUE (segment_key, sync_task_id)
);

CREATE TABLE IF NOT EXISTS sync_pages (
  task_order INTEGER NOT NULL,
  page_number INTEGER NOT NULL,
  result TEXT NOT NULL,
  added INTEGER NOT NULL,
  removed INTEGER NOT NULL,
  received_at TEXT NOT NULL,
  redeliveries INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (task_order, page_number)
) WITHOUT ROWID;

-- One row per user ever seen in a segment; is_member = 0 rows remember a removal, so that an older
-- page arriving late cannot undo a newer change.
CREATE TABLE IF NOT EXISTS memberships (
  segment_key INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  is_member INTEGER NOT NULL,
  task_order INTEGER NOT NULL,
  page_number INTEGER NOT NULL,
  PRIMARY KEY (segment_key, user_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS ignored_deliveries (
  id INTEGER PRIMARY KEY,
  received_at TEXT NOT NULL,
  id_token TEXT,
  action_type TEXT NOT NULL
);

PRAGMA user_version = ${SCHEMA_VERSION};
`;
