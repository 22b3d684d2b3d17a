// The ingest benchmark's durable floor, as the benchmark starts it (a child process, real HTTP, a
// real SQLite file), with each member insert: signed sync pages are stored, their members and
// their page rows, a redelivered page changes nothing, accounts are kept apart, and a bad
// signature or a body that is not a sync page is refused and stores nothing.
import test from 'ava';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bodyBytes, drainPayload, signedDelivery, syncPagePayload } from '../../spec/src/index.ts';
import { postDelivery } from '../../support/testing/postDelivery.ts';
import { startDurableFloor, stopChild } from '../bench/benchReceivers.ts';
import { BENCH_SECRET } from '../bench/benchServer.ts';
import { FLOOR_INSERTS } from '../bench/sqliteFloorStore.ts';

const segment = { id: 42, name: 'Floor' };

for (const insert of FLOOR_INSERTS) {
  test(`durable floor (${insert}): stores signed pages once, refuses bad signatures`, async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'durable-floor-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'floor.db');
    const floor = await startDurableFloor(`sqlite:${file}`, insert);
    t.teardown(() => stopChild(floor));

    const body = (idToken: string, pageNumber: number, add: string[], remove: string[] = []) =>
      bodyBytes(
        syncPagePayload({
          idToken,
          segment,
          syncTaskId: 'task-1',
          pageNumber,
          totalPages: 3,
          add,
          remove,
        }),
      );
    const send = async (rawBody: Buffer, secret = BENCH_SECRET, signed = rawBody) => {
      const delivery = signedDelivery({
        url: `${floor.url}/users_sync`,
        body: signed,
        secret,
        timestamp: Date.now(),
      });
      const answer = await postDelivery({ ...delivery, body: rawBody });
      return answer.ok ? answer.status : answer.message;
    };

    t.is(await send(body('account-a', 1, ['a@x.io', 'b@x.io', 'c@x.io'])), 200);
    t.is(await send(body('account-a', 2, ['d@x.io'], ['a@x.io'])), 200);
    // Page 1 again: a redelivery, which must not add a@x.io back.
    t.is(await send(body('account-a', 1, ['a@x.io', 'b@x.io', 'c@x.io'])), 200);
    // Another account's segment of the same id is its own.
    t.is(await send(body('account-b', 1, ['a@x.io', 'z@x.io'])), 200);
    // Refused: the wrong secret, bytes other than those signed, and a drain (not a sync page).
    t.is(await send(body('account-a', 3, ['wrong-secret@x.io']), 'another-secret'), 403);
    t.is(
      await send(body('account-a', 3, ['tampered@x.io']), BENCH_SECRET, body('account-a', 3, [])),
      403,
    );
    t.is(await send(bodyBytes(drainPayload({ idToken: 'account-a', segment }))), 400);

    await stopChild(floor);
    const db = new Database(file, { readonly: true });
    t.teardown(() => db.close());
    const members = (idToken: string) =>
      db
        .prepare(
          `SELECT m.user_id FROM floor_members m JOIN floor_segments s USING (segment_key)
           WHERE s.id_token = ? AND s.segment_id = ? AND m.is_member = 1 ORDER BY m.user_id`,
        )
        .pluck()
        .all(idToken, segment.id);
    const pages = (idToken: string) =>
      db
        .prepare(
          `SELECT p.page_number FROM floor_pages p JOIN floor_segments s USING (segment_key)
           WHERE s.id_token = ? ORDER BY p.page_number`,
        )
        .pluck()
        .all(idToken);
    t.deepEqual(members('account-a'), ['b@x.io', 'c@x.io', 'd@x.io']);
    t.deepEqual(pages('account-a'), [1, 2]);
    t.deepEqual(members('account-b'), ['a@x.io', 'z@x.io']);
    t.deepEqual(pages('account-b'), [1]);
    t.is(db.prepare('SELECT count(*) FROM floor_members').pluck().get(), 6);
  });
}
