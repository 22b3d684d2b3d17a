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
  {
    version: 3,
    description: 'apply_sync_page: a whole page in one statement, one round trip',
    // The page's steps, in order: the segment row held FOR SHARE (a drain takes it exclusively,
    // so pages and drains of one segment are ordered while pages run side by side), its sync task
    // (a rare change of total_pages takes that row), the page record (a redelivery only counts),
    // then the members: a plain bulk insert first, in a subtransaction, because INSERT ... ON
    // CONFLICT costs about 40% more per row; the upsert only when a user already has a row. A
    // membership change is made only if it is at least as recent as the one that set the row.
    sql: `
CREATE FUNCTION apply_sync_page(
  p_id_token bytea, p_segment_id bigint, p_name bytea, p_sync_task_id bytea,
  p_page_number bigint, p_total_pages bigint, p_received_at timestamptz,
  p_user_ids bytea[], p_is_member boolean[], p_added integer, p_removed integer
) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  v_segment_key bigint;
  v_drained_through bigint;
  v_same_name boolean;
  v_task_order bigint;
  v_total_pages bigint;
  v_superseded boolean;
  v_redeliveries integer;
BEGIN
  INSERT INTO segments (id_token, segment_id, name, updated_at)
  VALUES (p_id_token, p_segment_id, p_name, p_received_at)
  ON CONFLICT (id_token, segment_id) DO NOTHING;
  SELECT segment_key, drained_through_task, name = p_name
    INTO v_segment_key, v_drained_through, v_same_name
  FROM segments WHERE id_token = p_id_token AND segment_id = p_segment_id FOR SHARE;
  IF NOT v_same_name THEN
    UPDATE segments SET name = p_name, updated_at = p_received_at WHERE segment_key = v_segment_key;
  END IF;

  INSERT INTO sync_tasks (segment_key, sync_task_id, total_pages, first_seen_at)
  VALUES (v_segment_key, p_sync_task_id, p_total_pages, p_received_at)
  ON CONFLICT (segment_key, sync_task_id) DO NOTHING
  RETURNING task_order INTO v_task_order;
  IF v_task_order IS NULL THEN
    SELECT task_order, total_pages INTO v_task_order, v_total_pages
    FROM sync_tasks WHERE segment_key = v_segment_key AND sync_task_id = p_sync_task_id;
    IF v_total_pages <> p_total_pages THEN
      UPDATE sync_tasks SET total_pages = p_total_pages WHERE task_order = v_task_order;
    END IF;
  END IF;

  v_superseded := v_task_order <= v_drained_through;
  INSERT INTO sync_pages (task_order, page_number, result, added, removed, received_at)
  VALUES (
    v_task_order, p_page_number,
    CASE WHEN v_superseded THEN 'superseded' ELSE 'applied' END,
    CASE WHEN v_superseded THEN 0 ELSE p_added END,
    CASE WHEN v_superseded THEN 0 ELSE p_removed END,
    p_received_at
  )
  ON CONFLICT (task_order, page_number) DO UPDATE SET redeliveries = sync_pages.redeliveries + 1
  RETURNING redeliveries INTO v_redeliveries;
  IF v_redeliveries > 0 THEN RETURN 'duplicate'; END IF;
  IF v_superseded THEN RETURN 'superseded'; END IF;

  IF cardinality(p_user_ids) > 0 THEN
    BEGIN
      INSERT INTO memberships (segment_key, user_id, is_member, task_order, page_number)
      SELECT v_segment_key, change.user_id, change.is_member, v_task_order, p_page_number
      FROM unnest(p_user_ids, p_is_member) AS change (user_id, is_member);
    EXCEPTION WHEN unique_violation THEN
      INSERT INTO memberships (segment_key, user_id, is_member, task_order, page_number)
      SELECT v_segment_key, change.user_id, change.is_member, v_task_order, p_page_number
      FROM unnest(p_user_ids, p_is_member) AS change (user_id, is_member)
      ON CONFLICT (segment_key, user_id) DO UPDATE
        SET is_member = excluded.is_member, task_order = excluded.task_order,
            page_number = excluded.page_number
        WHERE (excluded.task_order, excluded.page_number)
           >= (memberships.task_order, memberships.page_number);
    END;
  END IF;
  RETURN 'applied';
END
$fn$;
`,
  },
];
