// The membership model: a table of delivery sequences with their verdicts, and properties that hold
// for any sequence (the reference outcome is always accepted; redeliveries and other segments change
// nothing; a drain empties its segment).
import test from 'ava';
import fc from 'fast-check';
import {
  expectedMembership,
  membershipProblem,
  type MemberVerdict,
  type MembershipDelivery,
} from '../src/membershipModel.ts';
import { membershipDeliveryOf } from '../src/membershipDelivery.ts';
import { drainPayload, syncPagePayload } from '../src/webhookPayloads.ts';

const A = 'account-a';
const B = 'account-b';

const page = (
  task: string,
  pageNumber: number,
  add: string[],
  remove: string[] = [],
  where: { idToken?: string; segmentId?: number } = {},
): MembershipDelivery => ({
  kind: 'sync',
  idToken: where.idToken ?? A,
  segmentId: where.segmentId ?? 1,
  syncTaskId: task,
  pageNumber,
  add,
  remove,
});
const drain = (where: { idToken?: string; segmentId?: number } = {}): MembershipDelivery => ({
  kind: 'drain',
  idToken: where.idToken ?? A,
  segmentId: where.segmentId ?? 1,
});

const cases: [
  string,
  {
    given: MembershipDelivery[];
    want: Record<string, MemberVerdict>;
    reference: string[];
    segment?: { idToken: string; segmentId: number };
  },
][] = [
  [
    'pages of one sync add their users',
    {
      given: [page('t1', 1, ['a']), page('t1', 2, ['b'])],
      want: { a: 'member', b: 'member' },
      reference: ['a', 'b'],
    },
  ],
  [
    'a later sync removes a user',
    {
      given: [page('t1', 1, ['a', 'b']), page('t2', 1, [], ['a'])],
      want: { a: 'not-member', b: 'member' },
      reference: ['b'],
    },
  ],
  [
    'a user in both lists of one page: a member for us, either accepted',
    { given: [page('t1', 1, ['a'], ['a'])], want: { a: 'either' }, reference: ['a'] },
  ],
  [
    'a redelivered page is applied once',
    {
      given: [page('t1', 1, ['a']), page('t2', 1, [], ['a']), page('t1', 1, ['a'])],
      want: { a: 'not-member' },
      reference: [],
    },
  ],
  [
    'a late first arrival of an older task loses to the newer task',
    {
      given: [page('t1', 1, ['x']), page('t2', 1, [], ['a']), page('t1', 2, ['a'])],
      want: { a: 'not-member', x: 'member' },
      reference: ['x'],
    },
  ],
  [
    'pages of one task in order: the last page wins',
    {
      given: [page('t1', 1, ['a']), page('t1', 2, [], ['a'])],
      want: { a: 'not-member' },
      reference: [],
    },
  ],
  [
    'pages of one task out of order, one user in both: by page (ours) or by arrival',
    {
      given: [page('t1', 2, [], ['a']), page('t1', 1, ['a'])],
      want: { a: 'either' },
      reference: [],
    },
  ],
  [
    'a drain empties the segment',
    {
      given: [page('t1', 1, ['a', 'b']), drain()],
      want: { a: 'not-member', b: 'not-member' },
      reference: [],
    },
  ],
  [
    'a page seen before the drain, redelivered after it, stays drained',
    {
      given: [page('t1', 1, ['a']), drain(), page('t1', 1, ['a'])],
      want: { a: 'not-member' },
      reference: [],
    },
  ],
  [
    'a new page of a task begun before the drain: superseded (ours) or applied',
    {
      given: [page('t1', 1, ['a']), drain(), page('t1', 2, ['b'])],
      want: { a: 'not-member', b: 'either' },
      reference: [],
    },
  ],
  [
    'a new sync after a drain fills the segment again',
    {
      given: [page('t1', 1, ['a']), drain(), page('t2', 1, ['b'])],
      want: { a: 'not-member', b: 'member' },
      reference: ['b'],
    },
  ],
  [
    'a sync after a drain wins over a late page of a task begun before it',
    {
      given: [page('t1', 1, ['x']), drain(), page('t2', 1, [], ['a']), page('t1', 2, ['a'])],
      want: { a: 'not-member', x: 'not-member' },
      reference: [],
    },
  ],
  [
    'a drain of another segment leaves this one',
    {
      given: [page('t1', 1, ['a']), drain({ segmentId: 2 })],
      want: { a: 'member' },
      reference: ['a'],
    },
  ],
  [
    'a drain of the same segment id of another account leaves this one',
    {
      given: [page('t1', 1, ['a']), drain({ idToken: B })],
      want: { a: 'member' },
      reference: ['a'],
    },
  ],
  [
    'the same task id in another segment is another task',
    {
      given: [page('t1', 1, ['a']), page('t1', 1, [], ['a'], { segmentId: 2 })],
      want: { a: 'member' },
      reference: ['a'],
    },
  ],
  [
    'ids differing in case, whitespace or Unicode form are distinct users',
    {
      given: [
        page('t1', 1, ['Ab', 'ab', ' ab', 'ab\u0000', 'é', 'e\u0301', 'ａｂ']),
        page('t2', 1, [], ['ab']),
      ],
      want: {
        Ab: 'member',
        ab: 'not-member',
        ' ab': 'member',
        'ab\u0000': 'member',
        é: 'member',
        'e\u0301': 'member',
        ａｂ: 'member',
      },
      reference: [' ab', 'Ab', 'ab\u0000', 'é', 'e\u0301', 'ａｂ'].sort(),
    },
  ],
];

for (const [name, { given, want, reference, segment }] of cases) {
  test(`model: ${name}`, (t) => {
    const expectation = expectedMembership(given).segment(
      segment?.idToken ?? A,
      segment?.segmentId ?? 1,
    );
    t.deepEqual(Object.fromEntries(expectation.verdicts), want);
    t.deepEqual(expectation.referenceMembers, reference);
    t.is(membershipProblem(expectation, reference), null);
  });
}

test('membershipProblem names missing, unexpected and repeated members, ids escaped', (t) => {
  const expectation = expectedMembership([page('t1', 1, ['a', 'é'], ['gone'])]).segment(A, 1);
  t.is(membershipProblem(expectation, ['a', 'é']), null);
  const problem = membershipProblem(expectation, ['a', 'a', 'gone', 'e\u0301']);
  t.regex(problem ?? '', /missing 1: "\\u00e9"/);
  t.regex(problem ?? '', /unexpected 2: "gone", "e\\u0301"/);
  t.regex(problem ?? '', /1 listed twice/);
});

test('membershipDeliveryOf reads syncs and drains as the builders make them', (t) => {
  const sync = syncPagePayload({
    idToken: A,
    segment: { id: 7, name: 'S' },
    syncTaskId: 't',
    pageNumber: 2,
    totalPages: 3,
    add: ['x'],
    remove: ['y'],
  });
  t.deepEqual(
    membershipDeliveryOf(JSON.stringify(sync)),
    page('t', 2, ['x'], ['y'], { segmentId: 7 }),
  );
  const drained = drainPayload({ idToken: A, segment: { id: 7, name: 'S' } });
  t.deepEqual(membershipDeliveryOf(Buffer.from(JSON.stringify(drained))), drain({ segmentId: 7 }));
  t.is(membershipDeliveryOf('not json'), null);
  t.is(
    membershipDeliveryOf('{"action_type":"segment.users.other","data":{"segment":{"id":1}}}'),
    null,
  );
});

const userIds = fc.constantFrom('a', 'A', ' a', 'b', 'é', 'e\u0301');
const deliveries = fc.array(
  fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('sync' as const),
        idToken: fc.constantFrom(A, B),
        segmentId: fc.constantFrom(1, 2),
        syncTaskId: fc.constantFrom('t1', 't2', 't3'),
        pageNumber: fc.integer({ min: 1, max: 3 }),
        add: fc.array(userIds, { maxLength: 3 }),
        remove: fc.array(userIds, { maxLength: 3 }),
      }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('drain' as const),
        idToken: fc.constantFrom(A, B),
        segmentId: fc.constantFrom(1, 2),
      }),
      weight: 1,
    },
  ),
  { maxLength: 12 },
);

test('property: the reference outcome is always an accepted outcome', (t) => {
  fc.assert(
    fc.property(deliveries, (given) =>
      expectedMembership(given).segments.every(
        (segment) => membershipProblem(segment, segment.referenceMembers) === null,
      ),
    ),
  );
  t.pass();
});

test('property: redelivering an already seen page and naming other segments change nothing', (t) => {
  fc.assert(
    fc.property(deliveries, fc.nat(), (given, pick) => {
      const syncs = given.filter((delivery) => delivery.kind === 'sync');
      fc.pre(syncs.length > 0);
      const again = syncs[pick % syncs.length]!;
      const before = expectedMembership(given).segment(again.idToken, again.segmentId);
      const after = expectedMembership([
        ...given,
        again,
        page('elsewhere', 1, ['a'], [], { idToken: 'account-c', segmentId: 1 }),
      ]).segment(again.idToken, again.segmentId);
      // The redelivery can name no new user: its ids were named at its first arrival.
      return JSON.stringify([...before.verdicts]) === JSON.stringify([...after.verdicts]);
    }),
  );
  t.pass();
});

test('property: after a drain every user of the segment must not be a member', (t) => {
  fc.assert(
    fc.property(deliveries, (given) => {
      const expectation = expectedMembership([...given, drain()]).segment(A, 1);
      return [...expectation.verdicts.values()].every((verdict) => verdict === 'not-member');
    }),
  );
  t.pass();
});
