// The membership model: what a partner must end up storing, as a pure function of the deliveries
// it accepted, in arrival order. Where Heap leaves a choice open the model does not pick one: each
// user's verdict says whether the user must be a member, must not be, or may be either.
//
// Rules and their sources (docs/membership-model.md explains each):
// - [Heap] A sync page carries users that entered (`add`) and left (`remove`) one segment of one
//   account (`id_token`, `data.segment.id`); a drain drops every member of that one segment.
// - [Heap] Heap retries every non-2xx answer, so a page can arrive more than once.
// - [ours] A page is identified by (account, segment, sync_task_id, page_number) and applied once:
//   only its first arrival counts.
// - [ours] Within a page removals go first, then additions: a user in both lists is a member
//   (Heap's payloads list `remove` before `add`). Heap does not say, so either outcome is accepted.
// - [ours] Across sync tasks, the task first seen later wins for a user, whatever the arrival order
//   of later retries. Within one task, pages may be combined by page number (ours) or by arrival:
//   both are accepted where they differ.
// - [ours] Pages of a task first seen before a drain, arriving after it, are superseded (not
//   applied) by the reference server. Heap does not say, so applying them is accepted too; a page
//   already seen before the drain never brings its users back.
// - [Heap] A user id is an exact string: ids differing in case, whitespace or Unicode form are
//   distinct users.

/** One delivery a partner accepted, reduced to what changes membership. */
export type MembershipDelivery =
  | {
      kind: 'sync';
      idToken: string;
      segmentId: number;
      syncTaskId: string;
      pageNumber: number;
      add: readonly string[];
      remove: readonly string[];
    }
  | { kind: 'drain'; idToken: string; segmentId: number };

/** What one user's membership must be after the deliveries. */
export type MemberVerdict = 'member' | 'not-member' | 'either';

/** The expected membership of one segment of one account. */
export interface SegmentExpectation {
  idToken: string;
  segmentId: number;
  /** Every user any delivery named for this segment, with the user's verdict. */
  verdicts: ReadonlyMap<string, MemberVerdict>;
  /** The members under the reference server's choices (one outcome among the accepted ones). */
  referenceMembers: readonly string[];
}

export interface MembershipExpectation {
  /** Every (account, segment) a delivery named, in order of first mention. */
  segments: readonly SegmentExpectation[];
  /** The expectation of one segment; a segment no delivery named has no members. */
  segment(idToken: string, segmentId: number): SegmentExpectation;
}

interface Change {
  taskOrder: number;
  pageNumber: number;
  arrival: number;
  /** In the page's `add` list. */
  added: boolean;
  /** In the page's `remove` list. */
  removed: boolean;
}

interface SegmentState {
  idToken: string;
  segmentId: number;
  /** Per sync_task_id: when it was first seen, and in which drain epoch. */
  tasks: Map<string, { order: number; epoch: number }>;
  seenPages: Set<string>;
  epoch: number;
  /** Changes since the last drain, per user, from pages of tasks first seen since then. */
  current: Map<string, Change[]>;
  /** Changes since the last drain from pages of tasks first seen before it (superseded by us). */
  superseded: Map<string, Change[]>;
  users: Set<string>;
}

const segmentKey = (idToken: string, segmentId: number) => JSON.stringify([idToken, segmentId]);

/** The values a change may leave: a user in both lists of one page may end either way. */
function valuesOf(change: Change): MemberVerdict {
  if (change.added && change.removed) return 'either';
  return change.added ? 'member' : 'not-member';
}

function union(verdicts: readonly MemberVerdict[]): MemberVerdict {
  const set = new Set(verdicts);
  if (set.has('either') || (set.has('member') && set.has('not-member'))) return 'either';
  return set.has('member') ? 'member' : 'not-member';
}

/**
 * The changes of the latest task win; among them the highest page (ours) or the last arrival
 * (accepted too). Returns what is accepted and what the reference server stores.
 */
function winnerOf(changes: readonly Change[]): { accepted: MemberVerdict; reference: boolean } {
  const top = Math.max(...changes.map((change) => change.taskOrder));
  const ofTop = changes.filter((change) => change.taskOrder === top);
  const byPage = ofTop.reduce((a, b) => (b.pageNumber > a.pageNumber ? b : a));
  const byArrival = ofTop.reduce((a, b) => (b.arrival > a.arrival ? b : a));
  return { accepted: union([valuesOf(byPage), valuesOf(byArrival)]), reference: byPage.added };
}

function verdictOf(
  current: readonly Change[] | undefined,
  superseded: readonly Change[] | undefined,
): { accepted: MemberVerdict; reference: boolean } {
  if (current && current.length > 0) return winnerOf(current);
  if (superseded && superseded.length > 0) {
    // Superseded (ours) or applied: both accepted.
    return { accepted: union(['not-member', winnerOf(superseded).accepted]), reference: false };
  }
  return { accepted: 'not-member', reference: false };
}

function newState(idToken: string, segmentId: number): SegmentState {
  return {
    idToken,
    segmentId,
    tasks: new Map(),
    seenPages: new Set(),
    epoch: 0,
    current: new Map(),
    superseded: new Map(),
    users: new Set(),
  };
}

function applyPage(
  state: SegmentState,
  page: MembershipDelivery & { kind: 'sync' },
  arrival: number,
  nextTaskOrder: () => number,
): void {
  for (const id of [...page.remove, ...page.add]) state.users.add(id);
  const pageKey = JSON.stringify([page.syncTaskId, page.pageNumber]);
  if (state.seenPages.has(pageKey)) return;
  state.seenPages.add(pageKey);
  let task = state.tasks.get(page.syncTaskId);
  if (!task) {
    task = { order: nextTaskOrder(), epoch: state.epoch };
    state.tasks.set(page.syncTaskId, task);
  }
  const target = task.epoch < state.epoch ? state.superseded : state.current;
  const removed = new Set(page.remove);
  const added = new Set(page.add);
  for (const id of new Set([...removed, ...added])) {
    const change: Change = {
      taskOrder: task.order,
      pageNumber: page.pageNumber,
      arrival,
      added: added.has(id),
      removed: removed.has(id),
    };
    const list = target.get(id);
    if (list) list.push(change);
    else target.set(id, [change]);
  }
}

/** The expected membership of every segment, from the accepted deliveries in arrival order. */
export function expectedMembership(
  deliveries: readonly MembershipDelivery[],
): MembershipExpectation {
  const states = new Map<string, SegmentState>();
  let taskCounter = 0;
  const nextTaskOrder = () => ++taskCounter;
  const stateOf = (idToken: string, segmentId: number) => {
    const key = segmentKey(idToken, segmentId);
    let state = states.get(key);
    if (!state) states.set(key, (state = newState(idToken, segmentId)));
    return state;
  };
  deliveries.forEach((delivery, arrival) => {
    const state = stateOf(delivery.idToken, delivery.segmentId);
    if (delivery.kind === 'drain') {
      state.epoch += 1;
      state.current.clear();
      state.superseded.clear();
    } else {
      applyPage(state, delivery, arrival, nextTaskOrder);
    }
  });
  const segments = [...states.values()].map((state): SegmentExpectation => {
    const verdicts = new Map<string, MemberVerdict>();
    const referenceMembers: string[] = [];
    for (const id of state.users) {
      const verdict = verdictOf(state.current.get(id), state.superseded.get(id));
      verdicts.set(id, verdict.accepted);
      if (verdict.reference) referenceMembers.push(id);
    }
    return {
      idToken: state.idToken,
      segmentId: state.segmentId,
      verdicts,
      referenceMembers: referenceMembers.sort(compareCodeUnits),
    };
  });
  const byKey = new Map(segments.map((item) => [segmentKey(item.idToken, item.segmentId), item]));
  return {
    segments,
    segment: (idToken, segmentId) =>
      byKey.get(segmentKey(idToken, segmentId)) ?? {
        idToken,
        segmentId,
        verdicts: new Map(),
        referenceMembers: [],
      },
  };
}

/** Ascending UTF-16 code-unit order, the same for every locale. */
export const compareCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** An id as a reader can tell it apart: JSON with everything outside printable ASCII escaped. */
export const showUserId = (id: string) =>
  JSON.stringify(id).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

const preview = (ids: readonly string[]) =>
  ids.slice(0, 5).map(showUserId).join(', ') + (ids.length > 5 ? ` (+${ids.length - 5})` : '');

/** What is wrong with a segment's stored members against its expectation, or null. */
export function membershipProblem(
  expectation: SegmentExpectation,
  members: readonly string[],
): string | null {
  const stored = new Set(members);
  const missing = [...expectation.verdicts]
    .filter(([id, verdict]) => verdict === 'member' && !stored.has(id))
    .map(([id]) => id);
  const unexpected = [...stored].filter((id) => {
    const verdict = expectation.verdicts.get(id);
    return verdict === undefined || verdict === 'not-member';
  });
  const duplicates = members.length - stored.size;
  if (missing.length === 0 && unexpected.length === 0 && duplicates === 0) return null;
  return [
    `members differ from the model in segment ${expectation.segmentId}: found ${members.length}`,
    ...(missing.length ? [`missing ${missing.length}: ${preview(missing)}`] : []),
    ...(unexpected.length ? [`unexpected ${unexpected.length}: ${preview(unexpected)}`] : []),
    ...(duplicates ? [`${duplicates} listed twice`] : []),
  ].join('; ');
}
