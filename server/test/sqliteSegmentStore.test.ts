// The SQLite store's semantics: idempotent pages, out-of-order convergence, drains that stick.
import test from 'ava';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SyncPageInput } from '../src/store/segmentStore.ts';
import { SqliteSegmentStore } from '../src/store/sqlite/sqliteSegmentStore.ts';

async function openTempStore(t: { teardown(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'segment-store-'));
  const file = path.join(dir, 'nested', 'partner.db');
  const store = Object.assign(new SqliteSegmentStore({ file }), { file });
  t.teardown(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return store;
}

const segment = { id: 1338065, name: 'Free Customers' };
const idToken = 'account-1';
const at = new Date('2026-01-01T00:00:00Z');

const page = (
  syncTaskId: string,
  pageNumber: number,
  totalPages: number,
  add: string[],
  remove: string[] = [],
): SyncPageInput => ({
  idToken,
  segment,
  syncTaskId,
  pageNumber,
  totalPages,
  add,
  remove,
  receivedAt: at,
});

async function members(store: SqliteSegmentStore, segmentId = segment.id): Promise<string[]> {
  const all: string[] = [];
  let after: string | undefined;
  do {
    const result = await store.listMembers(idToken, segmentId, { limit: 2, after });
    all.push(...result.members);
    after = result.next_after ?? undefined;
  } while (after);
  return all;
}

test('a page adds and removes members, and a retry of it changes nothing', async (t) => {
  const store = await openTempStore(t);
  t.deepEqual(await store.applySyncPage(page('t1', 1, 2, ['a', 'b', 'c'])), {
    result: 'applied',
    added: 3,
    removed: 0,
  });
  t.deepEqual(await store.applySyncPage(page('t1', 2, 2, ['d'], ['a'])), {
    result: 'applied',
    added: 1,
    removed: 1,
  });
  t.deepEqual(await store.applySyncPage(page('t1', 1, 2, ['a', 'b', 'c'])), {
    result: 'duplicate',
  });
  t.deepEqual(await members(store), ['b', 'c', 'd']);
  const [task] = await store.listSyncTasks();
  t.is(task?.pages.find((p) => p.page_number === 1)?.redeliveries, 1);
});

const pagesOfOneSync = [
  page('t1', 1, 3, ['a', 'b', 'c']),
  page('t1', 2, 3, ['d'], ['b']),
  page('t1', 3, 3, ['b', 'e'], ['a', 'd']),
];

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

test('every delivery order of a sync converges to the in-order result', async (t) => {
  const orders = permutations(pagesOfOneSync);
  t.is(orders.length, 6);
  for (const order of orders) {
    const store = await openTempStore(t);
    for (const p of order) await store.applySyncPage(p);
    t.deepEqual(await members(store), ['b', 'c', 'e'], order.map((p) => p.pageNumber).join(','));
  }
});

test('a later sync task wins over a late page of an earlier one', async (t) => {
  const store = await openTempStore(t);
  await store.applySyncPage(page('t1', 1, 2, ['a']));
  await store.applySyncPage(page('t2', 1, 1, [], ['a', 'x']));
  // t1's second page arrives late and would re-add 'a' if arrival order alone decided.
  await store.applySyncPage(page('t1', 2, 2, ['a', 'z']));
  t.deepEqual(await members(store), ['z']);
});

test('a drain empties the segment, and a late page of an older sync cannot bring users back', async (t) => {
  const store = await openTempStore(t);
  await store.applySyncPage(page('t1', 1, 3, ['a', 'b']));
  await store.applySyncPage(page('t1', 2, 3, ['c']));
  t.deepEqual(await store.drainSegment({ idToken, segment, receivedAt: at }), {
    result: 'drained',
    removed: 3,
  });
  t.deepEqual(await store.applySyncPage(page('t1', 3, 3, ['d'])), { result: 'superseded' });
  t.deepEqual(await store.applySyncPage(page('t1', 1, 3, ['a', 'b'])), { result: 'duplicate' });
  t.deepEqual(await members(store), []);
  t.deepEqual(await store.applySyncPage(page('t2', 1, 1, ['e'])), {
    result: 'applied',
    added: 1,
    removed: 0,
  });
  t.deepEqual(await members(store), ['e']);
  const [segmentRow] = await store.listSegments();
  t.is(segmentRow?.member_count, 1);
  t.truthy(segmentRow?.last_drained_at);
});

test('draining twice, or draining an unknown segment, is harmless', async (t) => {
  const store = await openTempStore(t);
  const other = { id: 42, name: 'Never synced' };
  t.deepEqual(await store.drainSegment({ idToken, segment: other, receivedAt: at }), {
    result: 'drained',
    removed: 0,
  });
  t.deepEqual(await store.drainSegment({ idToken, segment: other, receivedAt: at }), {
    result: 'drained',
    removed: 0,
  });
  t.deepEqual(await members(store, 42), []);
});

test('segments of different accounts and ids are kept apart', async (t) => {
  const store = await openTempStore(t);
  await store.applySyncPage(page('t1', 1, 1, ['a']));
  await store.applySyncPage({ ...page('t1', 1, 1, ['b']), idToken: 'account-2' });
  await store.applySyncPage({ ...page('t9', 1, 1, ['c']), segment: { id: 7, name: 'Other' } });
  t.deepEqual(await members(store), ['a']);
  t.deepEqual(await members(store, 7), ['c']);
  t.deepEqual(
    (await store.listSegments()).map((s) => [s.id_token, s.segment_id, s.member_count]),
    [
      ['account-1', 7, 1],
      ['account-1', 1338065, 1],
      ['account-2', 1338065, 1],
    ],
  );
  t.is((await store.listSegments({ idToken: 'account-2' })).length, 1);
});

test('a user in both lists of one page ends up a member', async (t) => {
  const store = await openTempStore(t);
  await store.applySyncPage(page('t1', 1, 1, ['a'], ['a']));
  t.deepEqual(await members(store), ['a']);
});

test('an ignored delivery is recorded without touching segments', async (t) => {
  const store = await openTempStore(t);
  await store.recordIgnoredDelivery({
    idToken,
    actionType: 'segment.users.rename',
    receivedAt: at,
  });
  t.deepEqual(await store.listSegments(), []);
  const db = new Database(store.file, { readonly: true });
  t.teardown(() => db.close());
  t.deepEqual(db.prepare('SELECT id_token, action_type FROM ignored_deliveries').all(), [
    { id_token: idToken, action_type: 'segment.users.rename' },
  ]);
});
