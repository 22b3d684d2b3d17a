// The sender's pages: bodies byte-identical to the contract's payloads, built lazily, one at a time,
// from id sources read as streams.
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bodyBytes, syncPagePayload } from '../../spec/src/index.ts';
import type { PlannedBody } from '../send/deliverAll.ts';
import { BodyBufferPool } from '../send/bodyBufferPool.ts';
import { syncPageBodies, syncPageBody, type SyncPageUsers } from '../send/syncPageBody.ts';
import { syncPages } from '../send/syncPages.ts';
import { batchIds, readUserIdBatches, simulatedUserIds } from '../send/userIds.ts';

const shared = {
  idToken: '7a36ae58-c4b9-11eb-8529-0242ac130003',
  segment: { id: 1338065, name: 'Free "Customers" \\ ünïcode 🎉' },
  syncTaskId: 'task-1',
};
const frame = { ...shared, pageNumber: 2, totalPages: 3 };

const bodies: [string, SyncPageUsers][] = [
  [
    'listed ids in both lists',
    { add: [['user3@email.com', 'user4@email.com']], remove: [['user1@email.com']] },
  ],
  ['simulated users from 0', { add: [{ from: 0, count: 500 }], remove: [] }],
  [
    'simulated users with 1 to 8 digits, non-ASCII among them',
    {
      add: [
        { from: 7, count: 30 },
        { from: 99_990, count: 20 },
        { from: 9_999_990, count: 10 },
      ],
      remove: [{ from: 123_456, count: 3 }],
    },
  ],
  [
    'simulated users then listed ids',
    { add: [{ from: 40, count: 5 }, ['from-a-file@x.io']], remove: [] },
  ],
  ['only removed users', { add: [], remove: [['gone@x.io']] }],
  ['no users', { add: [], remove: [] }],
  [
    'ids that JSON must escape',
    {
      add: [
        ['"quoted"@x.io', 'back\\slash@x.io', 'tab\there', 'nul\u0000x', '山田@例え.jp', '\ud800'],
      ],
      remove: [],
    },
  ],
];

for (const [name, users] of bodies) {
  test(`a page body is JSON.stringify of the contract payload: ${name}`, (t) => {
    const expected = bodyBytes(
      syncPagePayload({
        ...frame,
        add: users.add.flatMap(batchIds),
        remove: users.remove.flatMap(batchIds),
      }),
    );
    t.is(syncPageBody(frame, users).toString('utf8'), expected.toString('utf8'));
    t.true(syncPageBody(frame, users).equals(expected));
  });
}

test("one sync's pages share the frame and differ in page number and users, byte for byte", (t) => {
  const sync = { ...shared, totalPages: 1200 };
  const bodies = syncPageBodies(sync);
  const pages: [number, SyncPageUsers][] = [
    [1, { add: [{ from: 0, count: 100 }], remove: [] }],
    [9, { add: [{ from: 800, count: 100 }], remove: [] }],
    [10, { add: [{ from: 900, count: 50 }], remove: [['r1', 'r2']] }],
    [99, { add: [], remove: [['gone@x.io']] }],
    [100, { add: [], remove: [] }],
    [1200, { add: [{ from: 119_900, count: 100 }], remove: [] }],
    [11, { add: [{ from: 1000, count: 100 }], remove: [] }],
  ];
  for (const [pageNumber, users] of pages) {
    const expected = bodyBytes(
      syncPagePayload({
        ...sync,
        pageNumber,
        add: users.add.flatMap(batchIds),
        remove: users.remove.flatMap(batchIds),
      }),
    );
    const body = bodies.build(pageNumber, users);
    t.is(body.toString('utf8'), expected.toString('utf8'), `page ${pageNumber}`);
    bodies.reuse(body);
  }
});

test('a page body is never overwritten while it is held, only once given back', (t) => {
  const bodies = syncPageBodies({ ...shared, totalPages: 30 }, new BodyBufferPool());
  const users = (page: number): SyncPageUsers => ({
    add: [{ from: (page - 1) * 1000, count: 1000 }],
    remove: [],
  });
  const held = bodies.build(1, users(1));
  const copy = Buffer.from(held);
  for (let page = 2; page <= 30; page++) {
    const body = bodies.build(page, users(page));
    t.not(body.buffer, held.buffer);
    bodies.reuse(body);
  }
  t.true(held.equals(copy), 'the held page is unchanged');
  bodies.reuse(held);
  const next = [bodies.build(2, users(2)), bodies.build(3, users(3))];
  t.true(
    next.some((body) => body.buffer === held.buffer),
    'given back, its memory serves a later page',
  );
  next.forEach((body, index) => {
    const pageNumber = index + 2;
    const expected = syncPageBody({ ...frame, totalPages: 30, pageNumber }, users(pageNumber));
    t.true(body.equals(expected), `page ${pageNumber}`);
  });
});

async function take(pages: AsyncIterable<PlannedBody>, count: number): Promise<PlannedBody[]> {
  const taken: PlannedBody[] = [];
  for await (const page of pages) {
    taken.push(page);
    if (taken.length === count) break;
  }
  return taken;
}

test('pages are built as they are asked for: the first page reads only its own users', async (t) => {
  let batchesRead = 0;
  function* tenMillionUsers(): Generator<string[]> {
    for (let offset = 0; offset < 10_000_000; offset += 1000) {
      batchesRead++;
      yield simulatedUserIds(1000, offset);
    }
  }
  const pages = syncPages({
    ...frame,
    addCount: 10_000_000,
    removeCount: 0,
    add: tenMillionUsers(),
    remove: [],
    pageSize: 10_000,
  });
  const [first] = await take(pages, 1);
  t.is(first!.label, 'page 1/1000');
  t.is(batchesRead, 10);
  const payload = JSON.parse(first!.body.toString('utf8')) as {
    data: { sync_info: { total_pages: number }; add: { id: string }[] };
  };
  t.is(payload.data.sync_info.total_pages, 1000);
  t.deepEqual(
    payload.data.add.map((user) => user.id),
    simulatedUserIds(10_000),
  );
});

test('added users fill pages first, then removed users, across batch boundaries', async (t) => {
  const pages = await take(
    syncPages({
      ...frame,
      addCount: 5,
      removeCount: 4,
      add: [['a1', 'a2'], ['a3'], ['a4', 'a5']],
      remove: [['r1', 'r2', 'r3', 'r4']],
      pageSize: 4,
    }),
    10,
  );
  const lists = pages.map((page) => {
    const { data } = JSON.parse(page.body.toString('utf8')) as {
      data: { add: { id: string }[]; remove: { id: string }[] };
    };
    return [data.add.map((user) => user.id), data.remove.map((user) => user.id)];
  });
  t.deepEqual(lists, [
    [['a1', 'a2', 'a3', 'a4'], []],
    [['a5'], ['r1', 'r2', 'r3']],
    [[], ['r4']],
  ]);
  t.deepEqual(
    pages.map((page) => page.label),
    ['page 1/3', 'page 2/3', 'page 3/3'],
  );
});

test('a source with more users than counted is an error, not a page past total_pages', async (t) => {
  const pages = syncPages({
    ...frame,
    addCount: 2,
    removeCount: 0,
    add: [['a1', 'a2', 'a3']],
    remove: [],
    pageSize: 2,
  });
  await t.throwsAsync(take(pages, 5), { message: /more users than counted/ });
});

test('an id file is read as a stream: lines split across chunks and multi-byte characters survive', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'send-ids-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const ids = Array.from({ length: 40_000 }, (_, index) => `zoë.山田.${index}@例え.jp`);
  const file = path.join(dir, 'ids.txt');
  await writeFile(
    file,
    `\uFEFF${ids.map((id, index) => (index % 3 ? `  ${id}\r` : id)).join('\n\n')}`,
  );
  const read: string[] = [];
  let batches = 0;
  for await (const batch of readUserIdBatches(file)) {
    batches++;
    read.push(...batch);
  }
  t.true(batches > 1, 'the file (over 1 MB) is read in several chunks');
  t.deepEqual(read, ids);
});
