// One suite of store semantics, registered once per store (SQLite, PostgreSQL): idempotent pages,
// out-of-order convergence, drains that stick, exact ids, distinct counts, connections, used OAuth
// states, two stores on one database working at once, and random sequences checked against the
// membership model (spec/src/membershipModel.ts).
import type { ExecutionContext, TestFn } from 'ava';
import fc from 'fast-check';
import {
  expectedMembership,
  membershipProblem,
  type MembershipDelivery,
} from '../../../spec/src/index.ts';
import type { SyncPageInput } from '../../src/store/segmentStore.ts';
import type { Stores } from '../../src/store/stores.ts';

/** A fresh, empty database for one test, and what a store does not expose. */
export interface StoreUnderTest {
  stores: Stores;
  /** Opens another set of stores on the same database (a restart, or a second instance). */
  reopen(): Promise<Stores>;
  /** The recorded ignored deliveries, read from the database directly. */
  ignoredDeliveries(): Promise<{ id_token: string | null; action_type: string }[]>;
}

export type StoreFactory = (t: {
  teardown(fn: () => Promise<void> | void): void;
}) => Promise<StoreUnderTest>;

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

async function members(
  { segments }: Stores,
  segmentId = segment.id,
  account = idToken,
  limit = 2,
): Promise<string[]> {
  const all: string[] = [];
  let after: string | undefined;
  do {
    const result = await segments.listMembers(account, segmentId, { limit, after });
    all.push(...result.members);
    after = result.next_after ?? undefined;
  } while (after);
  return all;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

/** Code point order, the order both stores list members in (bytewise over UTF-8 / WTF-8). */
function codePointOrder(a: string, b: string): number {
  const left = [...a].map((c) => c.codePointAt(0)!);
  const right = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(left.length, right.length); i++)
    if (left[i] !== right[i]) return left[i]! - right[i]!;
  return left.length - right.length;
}

export function registerStoreSuite(test: TestFn, name: string, open: StoreFactory): void {
  const it = (title: string, body: (t: ExecutionContext) => Promise<void>) =>
    test(`${name}: ${title}`, body);

  it('a page adds and removes members, and a retry of it changes nothing', async (t) => {
    const { stores } = await open(t);
    t.deepEqual(await stores.segments.applySyncPage(page('t1', 1, 2, ['a', 'b', 'c'])), {
      result: 'applied',
      added: 3,
      removed: 0,
    });
    t.deepEqual(await stores.segments.applySyncPage(page('t1', 2, 2, ['d'], ['a'])), {
      result: 'applied',
      added: 1,
      removed: 1,
    });
    t.deepEqual(await stores.segments.applySyncPage(page('t1', 1, 2, ['a', 'b', 'c'])), {
      result: 'duplicate',
    });
    t.deepEqual(await members(stores), ['b', 'c', 'd']);
    const [task] = await stores.segments.listSyncTasks();
    t.is(task?.sync_task_id, 't1');
    t.is(task?.total_pages, 2);
    t.deepEqual(
      task?.pages.map((p) => [p.page_number, p.result, p.added, p.removed, p.redeliveries]),
      [
        [1, 'applied', 3, 0, 1],
        [2, 'applied', 1, 1, 0],
      ],
    );
  });

  const pagesOfOneSync = [
    page('t1', 1, 3, ['a', 'b', 'c']),
    page('t1', 2, 3, ['d'], ['b']),
    page('t1', 3, 3, ['b', 'e'], ['a', 'd']),
  ];

  it('every delivery order of a sync converges to the in-order result', async (t) => {
    const orders = permutations(pagesOfOneSync);
    t.is(orders.length, 6);
    for (const order of orders) {
      const { stores } = await open(t);
      for (const p of order) await stores.segments.applySyncPage(p);
      t.deepEqual(await members(stores), ['b', 'c', 'e'], order.map((p) => p.pageNumber).join());
    }
  });

  it('pages delivered all at once converge to the in-order result', async (t) => {
    const { stores } = await open(t);
    const outcomes = await Promise.all(pagesOfOneSync.map((p) => stores.segments.applySyncPage(p)));
    t.true(outcomes.every((outcome) => outcome.result === 'applied'));
    t.deepEqual(await members(stores), ['b', 'c', 'e']);
  });

  it('a later sync task wins over a late page of an earlier one', async (t) => {
    const { stores } = await open(t);
    await stores.segments.applySyncPage(page('t1', 1, 2, ['a']));
    await stores.segments.applySyncPage(page('t2', 1, 1, [], ['a', 'x']));
    // t1's second page arrives late and would re-add 'a' if arrival order alone decided.
    await stores.segments.applySyncPage(page('t1', 2, 2, ['a', 'z']));
    t.deepEqual(await members(stores), ['z']);
  });

  it('a drain empties the segment, and a late page of an older sync cannot bring users back', async (t) => {
    const { stores } = await open(t);
    await stores.segments.applySyncPage(page('t1', 1, 3, ['a', 'b']));
    await stores.segments.applySyncPage(page('t1', 2, 3, ['c']));
    t.deepEqual(await stores.segments.drainSegment({ idToken, segment, receivedAt: at }), {
      result: 'drained',
      removed: 3,
    });
    t.deepEqual(await stores.segments.applySyncPage(page('t1', 3, 3, ['d'])), {
      result: 'superseded',
    });
    t.deepEqual(await stores.segments.applySyncPage(page('t1', 1, 3, ['a', 'b'])), {
      result: 'duplicate',
    });
    t.deepEqual(await members(stores), []);
    t.deepEqual(await stores.segments.applySyncPage(page('t2', 1, 1, ['e'])), {
      result: 'applied',
      added: 1,
      removed: 0,
    });
    t.deepEqual(await members(stores), ['e']);
    const [segmentRow] = await stores.segments.listSegments();
    t.is(segmentRow?.member_count, 1);
    t.truthy(segmentRow?.last_drained_at);
    const t1 = (await stores.segments.listSyncTasks()).find((task) => task.sync_task_id === 't1');
    t.deepEqual(
      t1?.pages.map((p) => [p.page_number, p.result]),
      [
        [1, 'applied'],
        [2, 'applied'],
        [3, 'superseded'],
      ],
    );
  });

  it('draining twice, or draining an unknown segment, is harmless', async (t) => {
    const { stores } = await open(t);
    const other = { id: 42, name: 'Never synced' };
    for (let i = 0; i < 2; i++) {
      t.deepEqual(await stores.segments.drainSegment({ idToken, segment: other, receivedAt: at }), {
        result: 'drained',
        removed: 0,
      });
    }
    t.deepEqual(await members(stores, 42), []);
  });

  it('segments of different accounts and ids are kept apart', async (t) => {
    const { stores } = await open(t);
    await stores.segments.applySyncPage(page('t1', 1, 1, ['a']));
    await stores.segments.applySyncPage({ ...page('t1', 1, 1, ['b']), idToken: 'account-2' });
    await stores.segments.applySyncPage({
      ...page('t9', 1, 1, ['c']),
      segment: { id: 7, name: 'Other' },
    });
    t.deepEqual(await members(stores), ['a']);
    t.deepEqual(await members(stores, 7), ['c']);
    t.deepEqual(
      (await stores.segments.listSegments()).map((s) => [s.id_token, s.segment_id, s.member_count]),
      [
        ['account-1', 7, 1],
        ['account-1', 1338065, 1],
        ['account-2', 1338065, 1],
      ],
    );
    t.is((await stores.segments.listSegments({ idToken: 'account-2' })).length, 1);
    t.deepEqual(
      (await stores.segments.listSyncTasks({ segmentId: 7 })).map((task) => task.sync_task_id),
      ['t9'],
    );
  });

  it('a sync task keeps the latest total_pages it announced', async (t) => {
    const { stores } = await open(t);
    await stores.segments.applySyncPage(page('t1', 1, 3, ['a']));
    await stores.segments.applySyncPage(page('t1', 2, 2, ['b']));
    const [task] = await stores.segments.listSyncTasks();
    t.is(task?.total_pages, 2);
    t.is(task?.pages.length, 2);
  });

  it('a user in both lists of one page ends up a member', async (t) => {
    const { stores } = await open(t);
    await stores.segments.applySyncPage(page('t1', 1, 1, ['a'], ['a']));
    t.deepEqual(await members(stores), ['a']);
  });

  it('an ignored delivery is recorded without touching segments', async (t) => {
    const store = await open(t);
    await store.stores.segments.recordIgnoredDelivery({
      idToken,
      actionType: 'segment.users.rename',
      receivedAt: at,
    });
    await store.stores.segments.recordIgnoredDelivery({
      idToken: undefined,
      actionType: 'segment.users.merge',
      receivedAt: at,
    });
    t.deepEqual(await store.stores.segments.listSegments(), []);
    t.deepEqual(await store.ignoredDeliveries(), [
      { id_token: idToken, action_type: 'segment.users.rename' },
      { id_token: null, action_type: 'segment.users.merge' },
    ]);
  });

  // JSON.parse gives these strings for "\ud800", "\ud801", "\udc00", "\ufffd", "a\u0000b", ...
  const awkwardIds = [
    '\ud800',
    '\ud801',
    '\udc00',
    '\ufffd',
    'a\u0000b',
    'a',
    '\ud83d\ude00',
    'x\udbff',
    'zoë.müller@exämple.org',
  ];

  it('ids are stored and listed exactly as received, and distinct ids never merge', async (t) => {
    const { stores } = await open(t);
    t.deepEqual(await stores.segments.applySyncPage(page('t1', 1, 1, awkwardIds)), {
      result: 'applied',
      added: awkwardIds.length,
      removed: 0,
    });
    const listed = await members(stores, segment.id, idToken, 1000);
    t.deepEqual(listed, [...awkwardIds].sort(codePointOrder));
    // Paging one member at a time resumes after each id exactly.
    t.deepEqual(await members(stores, segment.id, idToken, 1), listed);
    const [summary] = await stores.segments.listSegments();
    t.is(summary?.member_count, awkwardIds.length);
    // Removing one lone surrogate removes that id only.
    await stores.segments.applySyncPage(page('t2', 1, 1, [], ['\ud800']));
    t.deepEqual(
      await members(stores, segment.id, idToken, 1000),
      listed.filter((id) => id !== '\ud800'),
    );
  });

  it('accounts, sync tasks and segment names are kept exactly too', async (t) => {
    const { stores } = await open(t);
    const odd = { idToken: 'acct\ud800', syncTaskId: 'task\udfff', name: 'Seg\u0000ment\ud834' };
    await stores.segments.applySyncPage({
      ...page(odd.syncTaskId, 1, 1, ['a']),
      idToken: odd.idToken,
      segment: { id: 5, name: odd.name },
    });
    await stores.segments.applySyncPage({
      ...page('task\udffe', 1, 1, ['b']),
      idToken: 'acct\ud801',
      segment: { id: 5, name: 'other' },
    });
    const [summary] = await stores.segments.listSegments({ idToken: odd.idToken });
    t.deepEqual(
      [summary?.id_token, summary?.name, summary?.member_count],
      [odd.idToken, odd.name, 1],
    );
    t.deepEqual(await members(stores, 5, odd.idToken), ['a']);
    t.deepEqual(await members(stores, 5, 'acct\ud801'), ['b']);
    const tasks = await stores.segments.listSyncTasks({ idToken: odd.idToken });
    t.deepEqual(
      tasks.map((task) => [task.id_token, task.sync_task_id]),
      [[odd.idToken, odd.syncTaskId]],
    );
  });

  it('added and removed count distinct users, however often a page lists them', async (t) => {
    const { stores } = await open(t);
    const thousand = Array.from({ length: 1000 }, () => 'same@example.com');
    t.deepEqual(await stores.segments.applySyncPage(page('t1', 1, 2, thousand)), {
      result: 'applied',
      added: 1,
      removed: 0,
    });
    t.deepEqual(await stores.segments.applySyncPage(page('t1', 2, 2, ['b', 'b', 'c'], thousand)), {
      result: 'applied',
      added: 2,
      removed: 1,
    });
    const [task] = await stores.segments.listSyncTasks();
    t.deepEqual(
      task?.pages.map((p) => [p.added, p.removed]),
      [
        [1, 0],
        [2, 1],
      ],
    );
    const [summary] = await stores.segments.listSegments();
    t.is(summary?.member_count, 2);
  });

  it('a late page counts the users it lists, also those a later page already set', async (t) => {
    const { stores } = await open(t);
    t.deepEqual(await stores.segments.applySyncPage(page('t1', 2, 2, ['a'], ['b'])), {
      result: 'applied',
      added: 1,
      removed: 1,
    });
    t.deepEqual(
      await stores.segments.applySyncPage(page('t1', 1, 2, ['b', 'c', 'c', 'd'], ['a', 'e'])),
      { result: 'applied', added: 3, removed: 2 },
    );
    t.deepEqual(await members(stores), ['a', 'c', 'd']);
    const [task] = await stores.segments.listSyncTasks();
    t.deepEqual(
      task?.pages.map((p) => [p.page_number, p.added, p.removed]),
      [
        [1, 3, 2],
        [2, 1, 1],
      ],
    );
  });

  it('connections are saved, replaced and listed without tokens', async (t) => {
    const { stores } = await open(t);
    t.false(await stores.connections.isConnected('tok-1'));
    const connection = {
      idToken: 'tok-1',
      envId: '2544353',
      authorizedBy: 'pam@example.co',
      authorizedAt: '2022-01-18T17:37:30.119Z',
      sealedAccessToken: 'sealed-secret',
      connectedAt: new Date('2026-01-01T00:00:00Z'),
    };
    await stores.connections.saveConnection(connection);
    await stores.connections.saveConnection({
      ...connection,
      envId: '999',
      connectedAt: new Date('2026-01-02T00:00:00Z'),
    });
    t.true(await stores.connections.isConnected('tok-1'));
    const listed = await stores.connections.listConnections();
    t.deepEqual(listed, [
      {
        id_token: 'tok-1',
        env_id: '999',
        authorized_by: 'pam@example.co',
        authorized_at: '2022-01-18T17:37:30.119Z',
        connected_at: '2026-01-02T00:00:00.000Z',
      },
    ]);
    t.false(JSON.stringify(listed).includes('sealed-secret'));
  });

  it('a connection made through another store on the same database is seen', async (t) => {
    const store = await open(t);
    const other = await store.reopen();
    await other.connections.saveConnection({
      idToken: 'tok-2',
      envId: '1',
      authorizedBy: 'a@example.com',
      authorizedAt: 'unknown',
      sealedAccessToken: 'x',
      connectedAt: at,
    });
    t.true(await store.stores.connections.isConnected('tok-2'));
  });

  it('an OAuth state is usable once, also after a restart, until it expires', async (t) => {
    const store = await open(t);
    const expires = new Date('2026-01-01T00:10:00Z');
    t.true(await store.stores.oauthStates.useState('state-1', expires));
    t.false(await store.stores.oauthStates.useState('state-1', expires));
    const restarted = await store.reopen();
    t.false(await restarted.oauthStates.useState('state-1', expires));
    t.true(await restarted.oauthStates.useState('state-2', new Date('2026-01-01T00:20:00Z')));
    await restarted.oauthStates.forgetExpiredStates(new Date('2026-01-01T00:15:00Z'));
    // state-1 expired and was forgotten (an expired state is refused before the store is asked);
    // state-2 has not expired and stays used.
    t.true(await restarted.oauthStates.useState('state-1', expires));
    t.false(await restarted.oauthStates.useState('state-2', expires));
  });

  it('two stores on one database apply the pages of one sync at once, exactly', async (t) => {
    const store = await open(t);
    const other = await store.reopen();
    const users = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => `user-${from + i}`);
    // Pages overlap: later pages remove some users earlier pages added, so order matters.
    const pages = Array.from({ length: 12 }, (_, i) =>
      page('big', i + 1, 12, users(i * 500, i * 500 + 700), users(i * 500 - 300, i * 500 - 100)),
    );
    const outcomes = await Promise.all(
      pages.map((p, i) => (i % 2 === 0 ? store.stores : other).segments.applySyncPage(p)),
    );
    t.true(outcomes.every((outcome) => outcome.result === 'applied'));
    // Redelivered in full, concurrently, through the other store: nothing changes.
    const again = await Promise.all(
      pages.map((p, i) => (i % 2 === 1 ? store.stores : other).segments.applySyncPage(p)),
    );
    t.true(again.every((outcome) => outcome.result === 'duplicate'));
    const expected = new Set<string>();
    for (const p of pages) {
      for (const id of p.remove) expected.delete(id);
      for (const id of p.add) expected.add(id);
    }
    const listed = await members(store.stores, segment.id, idToken, 10_000);
    t.is(listed.length, expected.size);
    t.deepEqual(listed, [...expected].sort(codePointOrder));
  });

  it('a drain racing pages of an older sync leaves none of them applied after it', async (t) => {
    const store = await open(t);
    const other = await store.reopen();
    await store.stores.segments.applySyncPage(page('old', 1, 20, ['first']));
    const pages = Array.from({ length: 19 }, (_, i) => page('old', i + 2, 20, [`u${i}`]));
    const [drain, ...outcomes] = await Promise.all([
      other.segments.drainSegment({ idToken, segment, receivedAt: at }),
      ...pages.map((p) => store.stores.segments.applySyncPage(p)),
    ]);
    const applied = outcomes.filter((outcome) => outcome.result === 'applied').length;
    // Whatever applied before the drain was drained with it; everything after was superseded.
    t.is(drain.removed, 1 + applied);
    t.deepEqual(await members(store.stores), []);
  });

  it('random sequences of pages and drains match the membership model exactly', async (t) => {
    const { stores } = await open(t);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(modelSequence, async (sequence) => {
        // Each run has accounts of its own, so one store serves every run.
        run += 1;
        const account = (name: string) => `${name}-${run}`;
        const sent: MembershipDelivery[] = [];
        for (const delivery of sequence) {
          const placed = { ...delivery, idToken: account(delivery.idToken) };
          sent.push(placed);
          const target = { id: placed.segmentId, name: `Segment ${placed.segmentId}` };
          if (placed.kind === 'drain') {
            await stores.segments.drainSegment({
              idToken: placed.idToken,
              segment: target,
              receivedAt: at,
            });
          } else {
            await stores.segments.applySyncPage({
              idToken: placed.idToken,
              segment: target,
              syncTaskId: placed.syncTaskId,
              pageNumber: placed.pageNumber,
              totalPages: 3,
              add: placed.add,
              remove: placed.remove,
              receivedAt: at,
            });
          }
        }
        for (const expected of expectedMembership(sent).segments) {
          const listed = await members(stores, expected.segmentId, expected.idToken, 3);
          // The reference server makes the model's reference choice, within the accepted ones.
          if (membershipProblem(expected, listed) !== null) return false;
          if (
            JSON.stringify(listed) !==
            JSON.stringify([...expected.referenceMembers].sort(codePointOrder))
          )
            return false;
        }
        return true;
      }),
      { numRuns: 100 },
    );
    t.pass();
  });
}

/** User ids (the contract wants at least one character) that a database column, a collation or a normalising library could merge. */
const lookalikeIds = fc.constantFrom(
  'a',
  'A',
  ' a',
  'a ',
  'a\u0000',
  '\u00e9',
  'e\u0301',
  '\uff41',
  '\ud800',
);

/** A random sequence of pages (three tasks, three pages each) and drains, two accounts, two segments. */
const modelSequence = fc.array(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('sync' as const),
        idToken: fc.constantFrom('a', 'b'),
        segmentId: fc.constantFrom(1, 2),
        syncTaskId: fc.constantFrom('t1', 't2', 't3'),
        pageNumber: fc.integer({ min: 1, max: 3 }),
        add: fc.array(
          fc.oneof(lookalikeIds, fc.string({ unit: 'binary', minLength: 1, maxLength: 4 })),
          {
            maxLength: 4,
          },
        ),
        remove: fc.array(lookalikeIds, { maxLength: 3 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('drain' as const),
        idToken: fc.constantFrom('a', 'b'),
        segmentId: fc.constantFrom(1, 2),
      }),
    },
  ),
  { minLength: 4, maxLength: 20 },
);
