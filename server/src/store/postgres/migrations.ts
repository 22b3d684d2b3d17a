// The PostgreSQL schema as numbered migrations, applied in order at start-up. Strings from payloads
// (ids, names) are bytea holding their exact WTF-8 bytes (see ../exactText.ts): PostgreSQL text
// refuses NUL and lone surrogates, and bytea compares bytewise, in the same order as SQLite.

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'segments, sync tasks and pages, memberships, ignored deliveries',
    sql: `
CREATE TABLE segments (
  segment_key bigserial PRIMARY KEY,
  id_token bytea NOT NULL,
  segment_id bigint NOT NULL,
  name bytea NOT NULL,
  -- the largest task_order of this segment when it was last drained: pages of those tasks are
  -- superseded
  drained_through_task bigint NOT NULL DEFAULT 0,
  last_drained_at timestamptz,
  updated_at timestamptz NOT NULL,
  UNIQUE (id_token, segment_id)
);

-- task_order comes from a sequence: it grows with every new task and orders the tasks of a segment
CREATE TABLE sync_tasks (
  task_order bigserial PRIMARY KEY,
  segment_key bigint NOT NULL REFERENCES segments (segment_key),
  sync_task_id bytea NOT NULL,
  total_pages bigint NOT NULL,
  first_seen_at timestamptz NOT NULL,
  UNIQUE (segment_key, sync_task_id)
);

CREATE TABLE sync_pages (
  task_order bigint NOT NULL REFERENCES sync_tasks (task_order),
  page_number bigint NOT NULL,
  result text NOT NULL,
  added integer NOT NULL,
  removed integer NOT NULL,
  received_at timestamptz NOT NULL,
  redeliveries integer NOT NULL DEFAULT 0,
  PRIMARY KEY (task_order, page_number)
);

-- One row per user ever seen in a segment; is_member = false rows remember a removal, so that an
-- older page arriving late cannot undo a newer change.
CREATE TABLE memberships (
  segment_key bigint NOT NULL,
  user_id bytea NOT NULL,
  is_member boolean NOT NULL,
  task_order bigint NOT NULL,
  page_number bigint NOT NULL,
  PRIMARY KEY (segment_key, user_id)
);

CREATE TABLE ignored_deliveries (
  id bigserial PRIMARY KEY,
  received_at timestamptz NOT NULL,
  id_token bytea,
  action_type bytea NOT NULL
);
`,
  },
  {
    version: 2,
    description: 'connected accounts and used OAuth states',
    sql: `
CREATE TABLE connections (
  id_token bytea PRIMARY KEY,
  env_id text NOT NULL,
  authorized_by text NOT NULL,
  authorized_at text NOT NULL,
  sealed_access_token text NOT NULL,
  connected_at timestamptz NOT NULL
);

CREATE TABLE oauth_states (
  state text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX oauth_states_expires_at ON oauth_states (expires_at);
`,
  },
];
