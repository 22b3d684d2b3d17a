// `sync`: whole syncs in every delivery order a partner meets; with an inspection API, the exact
// membership afterwards.
import { bodyBytes } from '../../../spec/src/index.ts';
import type { CaseContext, ConformanceCase, Severity, Step } from './caseTypes.ts';
import { checkedScriptProbe } from './checkedScript.ts';
import { syncPageDelivery, type SegmentRef } from './modelDeliveries.ts';
import { membersAsModelled, signedTo, syncPageFor, syncStep, users } from './requestBuilders.ts';
import { unknownAccountCase } from './unknownAccountCase.ts';

const SPEC_REF = 'webhook_spec.yaml#/components/schemas/SegmentUsersSync';
const accepted = { must: 'accepted', should: { status: 200 } } as const;

/** A three-page sync of distinct users (pages 1..3), sharing one sync_task_id per case run. */
function threePages(context: CaseContext) {
  const taskId = context.newSyncTaskId();
  return [1, 2, 3].map((page) =>
    syncStep(`page ${page}/3`, () => ({ taskId, page, of: 3, add: users(`p${page}`, 3, context) })),
  );
}

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

/**
 * Ids a database column, a collation or a normalising library would merge: case, surrounding
 * whitespace, a trailing NUL, Unicode NFC against NFD, full-width forms. Heap sends ids as exact
 * strings; each is a distinct user.
 */
export const lookalikeIds = (segmentId: number) => {
  const base = `user.${segmentId}@example.com`;
  return [
    base,
    base.toUpperCase(),
    ` ${base}`,
    `${base} `,
    `${base}\u0000`,
    `\uff55ser.${segmentId}@example.com`,
    `u\u017fer.${segmentId}@example.com`,
    `jos\u00e9.${segmentId}@example.com`,
    `jose\u0301.${segmentId}@example.com`,
  ];
};

/**
 * Ids holding lone surrogates, which JSON can carry (`"\\ud800"`) and UTF-8 text columns mangle,
 * refuse or merge: each half of a surrogate pair alone, the pair itself, and a lone surrogate
 * beside characters of every UTF-8 length (1 to 4 bytes, at their boundaries).
 */
export const loneSurrogateIds = (segmentId: number) => [
  `\ud800high.${segmentId}`,
  `low\udc00.${segmentId}`,
  `\ud83d.${segmentId}`,
  `\ude00.${segmentId}`,
  `\ud83d\ude00.${segmentId}`,
  `\u007f\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}\udbff.${segmentId}`,
  `\udbff\udbff\udfff.${segmentId}`,
];

export function syncCases(): ConformanceCase[] {
  return [
    syncCase(
      'in-order',
      'A multi-page sync delivered in order',
      (c) => threePages(c).map((step) => [step]),
      membersAsModelled,
    ),
    syncCase(
      'out-of-order',
      'A multi-page sync delivered out of order',
      (c) => {
        const [first, second, third] = threePages(c);
        return [[third!], [first!], [second!]];
      },
      membersAsModelled,
    ),
    syncCase(
      'page-delivered-twice',
      'A page delivered twice (a retry) is acknowledged and applied once',
      (c) => {
        const [first, second, third] = threePages(c);
        return [[first!], [second!], [first!], [third!], [second!]];
      },
      membersAsModelled,
    ),
    {
      ...syncCase(
        'late-page-of-older-sync',
        'A late page of an earlier sync does not undo a later sync',
        (c) => {
          const first = c.newSyncTaskId();
          const second = c.newSyncTaskId();
          const [a, b] = users('late', 2, c) as [string, string];
          return [
            [
              syncStep('earlier sync page 1/2', () => ({
                taskId: first,
                page: 1,
                of: 2,
                add: [a],
              })),
            ],
            [syncStep('later sync', () => ({ taskId: second, page: 1, of: 1, remove: [b] }))],
            // A retry of the earlier sync's second page arrives only now.
            [
              syncStep('earlier sync page 2/2', () => ({
                taskId: first,
                page: 2,
                of: 2,
                add: [b],
              })),
            ],
          ];
        },
        membersAsModelled,
      ),
      // Heap does not say how syncs are ordered; the later-seen sync winning is this contract's.
      source: 'our-decision',
    },
    syncCase(
      'redelivery-after-newer-sync',
      'A page redelivered after a later sync changes nothing',
      (c) => {
        const first = c.newSyncTaskId();
        const second = c.newSyncTaskId();
        const [a] = users('again', 1, c) as [string];
        const firstPage = syncStep('earlier sync', () => ({
          taskId: first,
          page: 1,
          of: 1,
          add: [a],
        }));
        return [
          [firstPage],
          [syncStep('later sync', () => ({ taskId: second, page: 1, of: 1, remove: [a] }))],
          [{ ...firstPage, label: 'earlier sync again' }],
        ];
      },
      membersAsModelled,
    ),
    syncCase(
      'concurrent-pages',
      'The pages of a sync delivered concurrently',
      (c) => [threePages(c)],
      membersAsModelled,
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
      membersAsModelled,
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
      membersAsModelled,
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
      membersAsModelled,
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
      membersAsModelled,
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
        membersAsModelled,
      ),
      skipReason: (c) => (c.largePageSize === 0 ? '--large-page-size 0' : null),
    },
    {
      ...syncCase(
        'lone-surrogate-ids',
        'Ids holding lone surrogates are stored and read back exactly, each its own member',
        (c) => {
          const ids = loneSurrogateIds(c.segmentId);
          const first = c.newSyncTaskId();
          const second = c.newSyncTaskId();
          // The second sync removes one half of a pair alone: the pair and the other half stay.
          return [
            [syncStep('sync', () => ({ taskId: first, page: 1, of: 1, add: ids }))],
            [syncStep('removal', () => ({ taskId: second, page: 1, of: 1, remove: [ids[2]!] }))],
          ];
        },
        membersAsModelled,
        'should',
      ),
      cost:
        'a user whose id holds a lone surrogate (valid JSON, rare in practice) is lost, renamed or ' +
        'merged with another',
    },
    {
      ...syncCase(
        'distinct-ids-kept',
        'Ids differing only in case, whitespace, NUL or Unicode form are distinct members',
        () => [],
      ),
      probe: checkedScriptProbe((c) => {
        const segment: SegmentRef = {
          idToken: c.idToken,
          segmentId: c.segmentId,
          name: `segment ${c.segmentId}`,
        };
        const ids = lookalikeIds(c.segmentId);
        const page = (taskName: string, add: string[], remove: string[]) =>
          syncPageDelivery(c, segment, {
            taskId: c.newSyncTaskId(),
            taskName,
            page: 1,
            of: 1,
            add,
            remove,
          });
        // The second sync removes the plain id only: its lookalikes must stay.
        return [[page('T1', ids, [])], [page('T2', [], [ids[0]!])]];
      }),
    },
    unknownAccountCase('sync'),
  ];
}
