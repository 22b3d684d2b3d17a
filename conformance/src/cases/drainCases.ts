// `drain`: drains empty a segment, are harmless when repeated or unknown, and are signed like syncs.
import type { CaseContext, ConformanceCase, Step } from './caseTypes.ts';
import { drainStep, exactMembers, syncStep, users } from './requestBuilders.ts';

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
      exactMembers([]),
    ),
    drainCase(
      'unknown-segment',
      'A drain of a segment never synced is acknowledged',
      () => [[drainStep('drain')]],
      exactMembers([]),
    ),
    drainCase(
      'twice',
      'A drain delivered twice is acknowledged both times',
      (c) => [[onePage('sync', 'a', c)], [drainStep('drain')], [drainStep('drain again')]],
      exactMembers([]),
    ),
    drainCase(
      'sync-after-drain',
      'A new sync after a drain fills the segment again',
      (c) => [
        [onePage('first sync', 'old', c)],
        [drainStep('drain')],
        [onePage('new sync', 'new', c)],
      ],
      (members, c) => exactMembers(users('new', 2, c))(members),
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
      // Whether page 3 applies after the drain is the partner's rule; pages 1 and 2 must be gone.
      (members, c) => {
        const drained = [...users('p1', 2, c), ...users('p2', 2, c)].filter((id) =>
          members.includes(id),
        );
        return drained.length === 0 ? null : `drained users came back: ${drained.join(', ')}`;
      },
    ),
    drainCase(
      'bad-signature',
      'A drain with a bad signature is refused and drains nothing',
      (c) => [
        [onePage('sync', 'kept', c)],
        [drainStep('forged drain', { secret: `${c.secret}-forged` })],
      ],
      (members, c) => exactMembers(users('kept', 2, c))(members),
      (label) =>
        label === 'forged drain'
          ? { must: 'refused', should: { status: 403, errorBody: true } }
          : { must: 'accepted' },
    ),
  ];
}
