// `sync`: whole syncs in every delivery order a partner meets; with an inspection API, the exact
// membership afterwards.
import { bodyBytes } from '../../../spec/src/index.ts';
import type { CaseContext, ConformanceCase, Severity, Step } from './caseTypes.ts';
import { exactMembers, signedTo, syncPageFor, syncStep, users } from './requestBuilders.ts';

const SPEC_REF = 'webhook_spec.yaml#/components/schemas/SegmentUsersSync';
const accepted = { must: 'accepted', should: { status: 200 } } as const;

/** A three-page sync of distinct users (pages 1..3), sharing one sync_task_id per case run. */
function threePages(context: CaseContext) {
  const taskId = context.newSyncTaskId();
  return [1, 2, 3].map((page) =>
    syncStep(`page ${page}/3`, () => ({ taskId, page, of: 3, add: users(`p${page}`, 3, context) })),
  );
}

const allThreePages = (members: readonly string[], context: CaseContext) =>
  exactMembers([1, 2, 3].flatMap((page) => users(`p${page}`, 3, context)))(members);

function syncCase(
  name: string,
  title: string,
  batches: (context: CaseContext) => Step[][],
  expectMembers?: ConformanceCase['expectMembers'],
  severity: Severity = 'must',
): ConformanceCase {
  return {
    id: `sync.${name}`,
    group: 'sync',
    title,
    severity,
    specRef: SPEC_REF,
    source: 'heap-spec',
    batches,
    expect: accepted,
    expectMembers,
  };
}

export function syncCases(): ConformanceCase[] {
  return [
    syncCase(
      'in-order',
      'A multi-page sync delivered in order',
      (c) => threePages(c).map((step) => [step]),
      allThreePages,
    ),
    syncCase(
      'out-of-order',
      'A multi-page sync delivered out of order',
      (c) => {
        const [first, second, third] = threePages(c);
        return [[third!], [first!], [second!]];
      },
      allThreePages,
    ),
    syncCase(
      'page-delivered-twice',
      'A page delivered twice (a retry) is acknowledged and applied once',
      (c) => {
        const [first, second, third] = threePages(c);
        return [[first!], [second!], [first!], [third!], [second!]];
      },
      allThreePages,
    ),
    syncCase(
      'concurrent-pages',
      'The pages of a sync delivered concurrently',
      (c) => [threePages(c)],
      allThreePages,
    ),
    syncCase(
      'add-and-remove',
      'A page with both add and remove',
      (c) => {
        const taskId = c.newSyncTaskId();
        const [a, b, d] = users('m', 3, c) as [string, string, string];
        const next = c.newSyncTaskId();
        return [
          [syncStep('first sync', () => ({ taskId, page: 1, of: 1, add: [a, b] }))],
          [
            syncStep('second sync: add and remove', () => ({
              taskId: next,
              page: 1,
              of: 1,
              add: [d],
              remove: [a],
            })),
          ],
        ];
      },
      (members, c) => exactMembers(users('m', 3, c).slice(1))(members),
    ),
    syncCase(
      'empty-lists',
      'A page with empty add and remove lists',
      (c) => [
        [
          syncStep('empty page', () => ({
            taskId: c.newSyncTaskId(),
            page: 1,
            of: 1,
            add: [],
            remove: [],
          })),
        ],
      ],
      exactMembers([]),
    ),
    syncCase(
      'absent-lists',
      'A page without add and remove (absent means none)',
      () => [
        [
          {
            label: 'page without lists',
            build: (context) => {
              const payload = syncPageFor(context, {
                taskId: context.newSyncTaskId(),
                page: 1,
                of: 1,
              });
              delete payload.data.add;
              delete payload.data.remove;
              return signedTo(context.url, bodyBytes(payload), context);
            },
          },
        ],
      ],
      exactMembers([]),
      // Heap's spec requires neither list, but no payload Heap has published omits them.
      'should',
    ),
    syncCase(
      'identity-mapping',
      'A customer_config with an identity_mapping field',
      () => [
        [
          {
            label: 'identity mapping page',
            build: (context) => {
              const payload = syncPageFor(context, {
                taskId: context.newSyncTaskId(),
                page: 1,
                of: 1,
                add: users('id', 1, context),
              });
              payload.customer_config.fields.push({
                field_id: 'identity',
                field_display_name: 'Identify users by',
                field_type: 'identity_mapping',
                value: { id: 'email', display_name: 'Email' },
              });
              return signedTo(context.url, bodyBytes(payload), context);
            },
          },
        ],
      ],
      (members, c) => exactMembers(users('id', 1, c))(members),
    ),
    {
      ...syncCase(
        'large-page',
        'A large page (--large-page-size users) within the time limit',
        (c) => [
          [
            syncStep(`page of ${c.largePageSize} users`, () => ({
              taskId: c.newSyncTaskId(),
              page: 1,
              of: 1,
              add: users('big', c.largePageSize, c),
            })),
          ],
        ],
        (members, c) => exactMembers(users('big', c.largePageSize, c))(members),
      ),
      skipReason: (c) => (c.largePageSize === 0 ? '--large-page-size 0' : null),
    },
  ];
}
