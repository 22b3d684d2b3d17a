// `drain`: drains empty a segment, are harmless when repeated or unknown, and are signed like syncs.
import type { CaseContext, ConformanceCase, Step } from './caseTypes.ts';
import { checkedScriptProbe, type Script } from './checkedScript.ts';
import { drainDelivery, fillingPages, type SegmentRef } from './modelDeliveries.ts';
import { drainStep, membersAsModelled, syncStep, users } from './requestBuilders.ts';
import { unknownAccountCase } from './unknownAccountCase.ts';

const SPEC_REF = 'webhook_spec.yaml#/components/schemas/SegmentUsersDrain';

function drainCase(
  name: string,
  title: string,
  batches: (context: CaseContext) => Step[][],
  expectMembers: ConformanceCase['expectMembers'],
  expect: ConformanceCase['expect'] = { must: 'accepted', should: { status: 200 } },
): ConformanceCase {
  return {
    id: `drain.${name}`,
    group: 'drain',
    title,
    severity: 'must',
    specRef: SPEC_REF,
    // Drains are routed by Heap's reference app; Heap's public README dropped them in August 2022.
    source: 'heap-reference-app',
    batches,
    expect,
    expectMembers,
  };
}

/** Members of the large segment: more than a page of 1,000 and more than a 1,000-row batch. */
export const LARGE_SEGMENT_MEMBERS = 2_500;

/** A drain case that looks beyond its own segment: a script checked against the model. */
function scriptedDrainCase(
  name: string,
  title: string,
  script: (context: CaseContext) => Script,
): ConformanceCase {
  return {
    ...drainCase(name, title, () => [], undefined),
    probe: checkedScriptProbe(script),
  };
}

const ownSegment = (c: CaseContext): SegmentRef => ({
  idToken: c.idToken,
  segmentId: c.segmentId,
  name: `segment ${c.segmentId}`,
});
const siblingSegment = (c: CaseContext): SegmentRef => ({
  idToken: c.idToken,
  segmentId: c.otherSegmentId(1),
  name: `segment ${c.otherSegmentId(1)}`,
});
const otherAccountSegment = (c: CaseContext): SegmentRef => ({
  idToken: c.secondIdToken,
  segmentId: c.segmentId,
  name: `segment ${c.segmentId} of the second account`,
});

const filled = (c: CaseContext, segment: SegmentRef, prefix: string, count: number) =>
  fillingPages(
    c,
    segment,
    { taskId: c.newSyncTaskId(), taskName: prefix },
    users(prefix, count, c),
  );

const onePage = (label: string, prefix: string, context: CaseContext) => {
  const taskId = context.newSyncTaskId();
  return syncStep(label, () => ({ taskId, page: 1, of: 1, add: users(prefix, 2, context) }));
};

export function drainCases(): ConformanceCase[] {
  return [
    drainCase(
      'after-sync',
      'A drain after a sync empties the segment',
      (c) => [[onePage('sync', 'a', c)], [drainStep('drain')]],
      membersAsModelled,
    ),
    drainCase(
      'unknown-segment',
      'A drain of a segment never synced is acknowledged',
      () => [[drainStep('drain')]],
      membersAsModelled,
    ),
    drainCase(
      'twice',
      'A drain delivered twice is acknowledged both times',
      (c) => [[onePage('sync', 'a', c)], [drainStep('drain')], [drainStep('drain again')]],
      membersAsModelled,
    ),
    drainCase(
      'sync-after-drain',
      'A new sync after a drain fills the segment again',
      (c) => [
        [onePage('first sync', 'old', c)],
        [drainStep('drain')],
        [onePage('new sync', 'new', c)],
      ],
      membersAsModelled,
    ),
    drainCase(
      'mid-sync',
      'A drain in the middle of a multi-page sync: drained users stay drained',
      (c) => {
        const taskId = c.newSyncTaskId();
        const page = (n: number) =>
          syncStep(`page ${n}/3`, () => ({ taskId, page: n, of: 3, add: users(`p${n}`, 2, c) }));
        return [[page(1)], [page(2)], [drainStep('drain')], [page(3)]];
      },
      // Whether page 3 applies after the drain is the partner's choice (the model accepts both);
      // pages 1 and 2 must be gone.
      membersAsModelled,
    ),
    drainCase(
      'bad-signature',
      'A drain with a bad signature is refused and drains nothing',
      (c) => [
        [onePage('sync', 'kept', c)],
        [drainStep('forged drain', { secret: `${c.secret}-forged` })],
      ],
      membersAsModelled,
      (label) =>
        label === 'forged drain'
          ? { must: 'refused', should: { status: 403, errorBody: true } }
          : { must: 'accepted' },
    ),
    scriptedDrainCase(
      'large-segment',
      `A drain of a segment of ${LARGE_SEGMENT_MEMBERS.toLocaleString('en-US')} members empties it`,
      (c) => [
        filled(c, ownSegment(c), 'large', LARGE_SEGMENT_MEMBERS),
        [drainDelivery(c, ownSegment(c))],
      ],
    ),
    scriptedDrainCase(
      'leaves-other-segments',
      'A drain of one segment leaves the other segments of the account',
      (c) => [
        [...filled(c, ownSegment(c), 'drained', 2), ...filled(c, siblingSegment(c), 'kept', 2)],
        [drainDelivery(c, ownSegment(c))],
      ],
    ),
    scriptedDrainCase(
      'other-account',
      'A drain for one account leaves the same segment id of another account',
      (c) => [
        [
          ...filled(c, ownSegment(c), 'drained', 2),
          ...filled(c, otherAccountSegment(c), 'kept', 2),
        ],
        [drainDelivery(c, ownSegment(c))],
      ],
    ),
    unknownAccountCase('drain'),
  ];
}
