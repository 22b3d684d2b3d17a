// `inspection`: the inspection API answers as spec/partner_inspection_api.yaml says, so that the
// effects the other groups read through it can be trusted: member pages keep to their limit and
// give each member once, segments and sync tasks report what was delivered. Runs only with an
// inspection API.
import type { components } from '../../../generated/partner-inspection-api.ts';
import type { Exchange } from '../delivery/webhookDelivery.ts';
import type { InspectionAnswer, InspectionClient } from '../runner/inspectionClient.ts';
import type { CaseContext, ConformanceCase, ProbeVerdict, Step } from './caseTypes.ts';
import { bodyBytes, syncPagePayload } from '../../../spec/src/index.ts';
import { drainStep, segmentName, signedTo, syncStep, users } from './requestBuilders.ts';

type MemberPage = components['schemas']['MemberPage'];
type SegmentSummary = components['schemas']['SegmentSummary'];
type SyncTaskSummary = components['schemas']['SyncTaskSummary'];

const SPEC = 'partner_inspection_api.yaml#/paths';
const COST =
  'the suite reads stored members through this API: where it answers otherwise than its spec, ' +
  'what it reports of stored membership cannot be trusted';

/** Members of the paging case, read back with a limit that splits them over several pages. */
export const PAGED_MEMBERS = 25;
export const PAGE_LIMIT = 10;

/** What a check found wrong, or null. */
type Problem = string | null;

class Unserved extends Error {}

interface CaseRun {
  context: CaseContext;
  exchanges: { label: string; exchange: Exchange }[];
  send(step: Step): Promise<void>;
}

function inspectionCase(
  name: string,
  title: string,
  path: string,
  check: (run: CaseRun, inspection: InspectionClient) => Promise<Problem>,
): ConformanceCase {
  return {
    id: `inspection.${name}`,
    group: 'inspection',
    title,
    severity: 'should',
    specRef: `${SPEC}/${path}`,
    source: 'our-decision',
    cost: COST,
    batches: () => [],
    expect: { must: 'accepted' },
    async probe(context, send, inspection): Promise<ProbeVerdict> {
      const exchanges: CaseRun['exchanges'] = [];
      if (!inspection) {
        return { verdict: 'skip', message: 'needs an inspection API (--inspect-url)', exchanges };
      }
      const run: CaseRun = {
        context,
        exchanges,
        async send(step) {
          const exchange = await send(step.build(context));
          exchanges.push({ label: step.label, exchange });
          if (!exchange.ok || exchange.status < 200 || exchange.status > 299) {
            throw new Refused(step.label, exchange);
          }
        },
      };
      try {
        const problem = await check(run, inspection);
        return problem
          ? { verdict: 'warn', message: problem, exchanges }
          : { verdict: 'pass', message: `${title}: as its spec says`, exchanges };
      } catch (error) {
        if (error instanceof Unserved)
          return { verdict: 'skip', message: error.message, exchanges };
        if (error instanceof Refused) {
          return {
            verdict: 'skip',
            message: `not checked: the ${error.label} delivery was not acknowledged (${error.answer}); the other groups judge that`,
            exchanges,
          };
        }
        throw error;
      }
    },
  };
}

class Refused extends Error {
  readonly answer: string;
  constructor(
    readonly label: string,
    exchange: Exchange,
  ) {
    super(label);
    this.answer = exchange.ok ? `answered ${exchange.status}` : exchange.error;
  }
}

/** A 200 JSON answer's body; an unserved route skips the case, any other answer is a problem. */
async function read<T>(inspection: InspectionClient, pathAndQuery: string): Promise<T | string> {
  const answer: InspectionAnswer = await inspection.get(pathAndQuery);
  if (answer.status === 404 || answer.status === 405 || answer.status === 501) {
    throw new Unserved(
      `the inspection API does not serve GET ${pathAndQuery.split('?')[0]} (${answer.status}); it is optional`,
    );
  }
  if (answer.status !== 200 || answer.body === null || typeof answer.body !== 'object') {
    return `GET ${answer.url} answered ${answer.status}${answer.body === null ? ' without a JSON body' : ''}`;
  }
  return answer.body as T;
}

/** Reads the segment's members `limit` at a time; a problem when a page breaks the spec's rules. */
async function checkPaging(
  inspection: InspectionClient,
  context: CaseContext,
  expected: readonly string[],
): Promise<Problem> {
  const seen = new Set<string>();
  let after = '';
  // Every member once, a page at a time, and at most one empty page at the end.
  const maxCalls = Math.ceil(expected.length / PAGE_LIMIT) + 1;
  for (let call = 1; call <= maxCalls; call++) {
    const path =
      `segments/${encodeURIComponent(context.idToken)}/${context.segmentId}/members` +
      `?limit=${PAGE_LIMIT}&after=${encodeURIComponent(after)}`;
    const page = await read<MemberPage>(inspection, path);
    if (typeof page === 'string') return page;
    if (!Array.isArray(page.members)) return `GET ${path}: the answer has no members array`;
    if (page.members.length > PAGE_LIMIT) {
      return `GET ${path} gave ${page.members.length} members; limit=${PAGE_LIMIT} allows at most ${PAGE_LIMIT}`;
    }
    // Each member once; the order is not judged: a database's collation may sort ids its own way,
    // and paging by it is still whole.
    for (const member of page.members) {
      if (seen.has(member)) {
        return `reading ${PAGE_LIMIT} at a time gave ${JSON.stringify(member)} twice`;
      }
      seen.add(member);
    }
    if (page.next_after === null) {
      if (seen.size !== expected.length || expected.some((member) => !seen.has(member))) {
        return `reading ${PAGE_LIMIT} at a time gave ${seen.size} members; the segment has ${expected.length}`;
      }
      return null;
    }
    if (typeof page.next_after !== 'string') {
      return `GET ${path}: next_after is neither a string nor null`;
    }
    after = page.next_after;
  }
  return `reading ${expected.length} members ${PAGE_LIMIT} at a time took more than ${maxCalls} pages: next_after never became null`;
}

function ownSegment(list: { segments?: SegmentSummary[] }, context: CaseContext) {
  return list.segments?.find(
    (segment) => segment.id_token === context.idToken && segment.segment_id === context.segmentId,
  );
}

/** The segment's summary compared with what was delivered; a problem or null. */
async function checkSegment(
  inspection: InspectionClient,
  context: CaseContext,
  want: { name: string; memberCount: number; drained: boolean },
): Promise<Problem> {
  const path = `segments?id_token=${encodeURIComponent(context.idToken)}`;
  const list = await read<{ segments?: SegmentSummary[] }>(inspection, path);
  if (typeof list === 'string') return list;
  const segment = ownSegment(list, context);
  if (!segment) return `GET ${path} does not list segment ${context.segmentId}`;
  const stranger = list.segments?.find((s) => s.id_token !== context.idToken);
  if (stranger) return `GET ${path} lists a segment of another account (${stranger.segment_id})`;
  if (segment.name !== want.name) {
    return `segment ${context.segmentId} is named ${JSON.stringify(segment.name)}; the latest delivery named it ${JSON.stringify(want.name)}`;
  }
  if (segment.member_count !== want.memberCount) {
    return `segment ${context.segmentId} reports member_count ${segment.member_count}; it has ${want.memberCount} members`;
  }
  if (want.drained !== (typeof segment.last_drained_at === 'string')) {
    return want.drained
      ? `segment ${context.segmentId} was drained, but its last_drained_at is ${JSON.stringify(segment.last_drained_at)}`
      : `segment ${context.segmentId} was never drained, but its last_drained_at is ${JSON.stringify(segment.last_drained_at)}`;
  }
  return null;
}

interface ExpectedPage {
  page_number: number;
  added: number;
  removed: number;
  redeliveries: number;
}

/** The segment's sync tasks compared with the one task delivered; a problem or null. */
async function checkTask(
  inspection: InspectionClient,
  context: CaseContext,
  want: { taskId: string; totalPages: number; pages: ExpectedPage[] },
): Promise<Problem> {
  const path = `sync-tasks?id_token=${encodeURIComponent(context.idToken)}&segment_id=${context.segmentId}`;
  const list = await read<{ sync_tasks?: SyncTaskSummary[] }>(inspection, path);
  if (typeof list === 'string') return list;
  const tasks = list.sync_tasks ?? [];
  if (tasks.length !== 1) {
    return `GET ${path} lists ${tasks.length} sync tasks; the segment was sent one`;
  }
  const task = tasks[0]!;
  if (
    task.sync_task_id !== want.taskId ||
    task.id_token !== context.idToken ||
    task.segment_id !== context.segmentId
  ) {
    return `GET ${path} lists task ${JSON.stringify(task.sync_task_id)} of segment ${task.segment_id}; the segment was sent ${JSON.stringify(want.taskId)}`;
  }
  if (task.total_pages !== want.totalPages) {
    return `task ${want.taskId} reports total_pages ${task.total_pages}; its pages said ${want.totalPages}`;
  }
  const pages = task.pages ?? [];
  if (pages.length !== want.pages.length) {
    return `task ${want.taskId} lists ${pages.length} pages; ${want.pages.length} were sent`;
  }
  for (const [index, expected] of want.pages.entries()) {
    const page = pages[index]!;
    const seen = {
      page_number: page.page_number,
      result: page.result,
      added: page.added,
      removed: page.removed,
      redeliveries: page.redeliveries,
    };
    const wanted = {
      page_number: expected.page_number,
      result: 'applied',
      added: expected.added,
      removed: expected.removed,
      redeliveries: expected.redeliveries,
    };
    if (JSON.stringify(seen) !== JSON.stringify(wanted)) {
      return `task ${want.taskId} reports page ${JSON.stringify(seen)}; it was sent as ${JSON.stringify(wanted)}`;
    }
  }
  return null;
}

/**
 * A segment name with characters of every UTF-8 length at their boundaries and lone surrogates
 * (valid JSON): alone, before a pair, two low ones together, and a high one before a character
 * above the surrogates, so that a name is seen to come back exactly as delivered.
 */
export const exoticSegmentName = (context: CaseContext) =>
  `${segmentName(context)} \u0080\u07ff\u0800\uffff\u{10000}\u{10ffff} \ud800 \udfff \udbff\udbff\udfff \udfff\udc00 \ud800\ue000`;

export function inspectionCases(): ConformanceCase[] {
  return [
    inspectionCase(
      'member-pages',
      `Members read ${PAGE_LIMIT} at a time come in pages of at most ${PAGE_LIMIT}, each once`,
      '~1segments~1{id_token}~1{segment_id}~1members',
      async (run, inspection) => {
        const members = users('paged', PAGED_MEMBERS, run.context);
        const taskId = run.context.newSyncTaskId();
        await run.send(syncStep('sync', () => ({ taskId, page: 1, of: 1, add: members })));
        return checkPaging(inspection, run.context, members);
      },
    ),
    inspectionCase(
      'segments',
      'The segment list reports each segment with its exact name (empty when none), member count and last drain',
      '~1segments',
      async (run, inspection) => {
        const c = run.context;
        const add = users('counted', 3, c);
        const payload = syncPagePayload({
          idToken: c.idToken,
          segment: { id: c.segmentId, name: exoticSegmentName(c) },
          syncTaskId: c.newSyncTaskId(),
          pageNumber: 1,
          totalPages: 1,
          add,
        });
        await run.send({ label: 'sync', build: () => signedTo(c.url, bodyBytes(payload), c) });
        const before = await checkSegment(inspection, c, {
          name: exoticSegmentName(c),
          memberCount: add.length,
          drained: false,
        });
        if (before) return `after a sync of ${add.length} members: ${before}`;
        await run.send(drainStep('drain'));
        // The drain names the segment as the other cases do: the name follows the latest delivery.
        const after = await checkSegment(inspection, run.context, {
          name: segmentName(run.context),
          memberCount: 0,
          drained: true,
        });
        if (after) return `after a drain: ${after}`;
        // A delivery may name no segment (Heap's spec): the name is then empty.
        const rejoined = users('rejoined', 1, c);
        const named = syncPagePayload({
          idToken: c.idToken,
          segment: { id: c.segmentId, name: '' },
          syncTaskId: c.newSyncTaskId(),
          pageNumber: 1,
          totalPages: 1,
          add: rejoined,
        });
        const nameless = { ...named, data: { ...named.data, segment: { id: c.segmentId } } };
        await run.send({
          label: 'sync naming no segment',
          build: () => signedTo(c.url, bodyBytes(nameless), c),
        });
        const unnamed = await checkSegment(inspection, c, {
          name: '',
          memberCount: rejoined.length,
          drained: true,
        });
        return unnamed && `after a sync whose segment has no name: ${unnamed}`;
      },
    ),
    inspectionCase(
      'sync-tasks',
      'The sync-task list reports each page received, with its counts and redeliveries',
      '~1sync-tasks',
      async (run, inspection) => {
        const taskId = run.context.newSyncTaskId();
        // Counts are of distinct users: page 1 lists one of its users twice.
        const added = users('first', 3, run.context);
        const first = { add: [...added, added[0]!], remove: users('gone', 2, run.context) };
        const second = { add: users('second', 1, run.context) };
        const third = { remove: users('left', 1, run.context) };
        const page1 = syncStep('page 1', () => ({ taskId, page: 1, of: 3, ...first }));
        await run.send(page1);
        await run.send(syncStep('page 1 again', () => ({ taskId, page: 1, of: 3, ...first })));
        await run.send(syncStep('page 2', () => ({ taskId, page: 2, of: 3, ...second })));
        await run.send(syncStep('page 3', () => ({ taskId, page: 3, of: 3, ...third })));
        return checkTask(inspection, run.context, {
          taskId,
          totalPages: 3,
          pages: [
            { page_number: 1, added: 3, removed: 2, redeliveries: 1 },
            { page_number: 2, added: 1, removed: 0, redeliveries: 0 },
            { page_number: 3, added: 0, removed: 1, redeliveries: 0 },
          ],
        });
      },
    ),
  ];
}
