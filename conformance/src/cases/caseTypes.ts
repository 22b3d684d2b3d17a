// What a conformance case is: data that says what to send, in which order, and what to expect.
import type { MembershipDelivery, OutgoingDelivery } from '../../../spec/src/index.ts';
import type { Exchange } from '../delivery/webhookDelivery.ts';
import type { InspectionClient } from '../runner/inspectionClient.ts';

/** The webhook groups, and `oauth` for the connect-flow run (`npm run conformance -- oauth`). */
export type Group =
  'examples' | 'signature' | 'sync' | 'drain' | 'robustness' | 'inspection' | 'model' | 'oauth';
/** The groups of the webhook run, which --only chooses from. */
export const GROUPS: readonly Group[] = [
  'examples',
  'signature',
  'sync',
  'drain',
  'robustness',
  'inspection',
  'model',
];

/** How much the `model` group may send: random sequences checked against the membership model. */
export interface ModelBudget {
  /** Random sequences to try (before shrinking a failure). */
  runs: number;
  /** Most steps in one sequence. */
  steps: number;
  /** Members of the segment the large drain empties; 0 leaves large drains out. */
  largeDrain: number;
  /** The seed of the random sequences; null picks one (and the result prints it). */
  seed: number | null;
  /** fast-check's path to the shrunk failure, to replay only it (with `seed`). */
  path: string | null;
}

/**
 * `must`: a failure fails the run. `should`: a failure is reported as a warning. `informational`:
 * reports what was seen and never fails (PKCE in the connect flow). The policy that
 * decides which is which is in conformance/INTERPRETING.md (Severity policy).
 */
export type Severity = 'must' | 'should' | 'informational';

/** Where a case's rule comes from. */
export type CaseSource =
  'heap-spec' | 'heap-reference-app' | 'our-decision' | 'rfc-6749' | 'rfc-9700';

/** How reports name each source. */
export const SOURCE_NAMES: Readonly<Record<CaseSource, string>> = {
  'heap-spec': "Heap's published spec",
  'heap-reference-app': "Heap's reference app",
  'our-decision': 'our decision',
  'rfc-6749': 'RFC 6749 (OAuth 2.0)',
  'rfc-9700': 'RFC 9700 (OAuth 2.0 Security Best Current Practice)',
};

/** Everything a case needs to build its requests; one per case, with its own segment. */
export interface CaseContext {
  url: string;
  drainUrl: string;
  secret: string;
  idToken: string;
  /** A second connected account, for cases that check accounts are kept apart. */
  secondIdToken: string;
  /** An account the partner has not connected and says it refuses (--unknown-id-token), or null. */
  unknownIdToken: string | null;
  /** A segment id used by this case only. */
  segmentId: number;
  /** The case's `n`th further segment id (n >= 1), used by no other case of the run. */
  otherSegmentId(n: number): number;
  /** The sender's clock, ms since the epoch. */
  now(): number;
  /** Oldest timestamp a partner is expected to accept, in ms. */
  maxAgeMs: number;
  /** Furthest-ahead timestamp a partner is expected to accept, in ms. */
  maxSkewMs: number;
  largePageSize: number;
  /** A fresh sync_task_id. */
  newSyncTaskId(): string;
  modelBudget: ModelBudget;
}

/** One request of a case: built right before it is sent, so signatures carry a fresh timestamp. */
export interface Step {
  label: string;
  build(context: CaseContext): OutgoingDelivery;
}

/** What an answer must be; `should` checks only warn. */
export interface AnswerExpectation {
  /** `accepted`: 2xx; `refused`: 4xx; `handled`: 2xx or 4xx. Never 5xx, never a hang. */
  must: 'accepted' | 'refused' | 'handled';
  /** A stricter answer the contract recommends, e.g. 200, or 403 with an `{error}` body. */
  should?: { status: number; errorBody?: boolean } | { statusClass: '2xx' };
}

export interface ConformanceCase {
  /** Stable id, `<group>.<name>`. */
  id: string;
  group: Group;
  title: string;
  severity: Severity;
  /** Where in spec/webhook_spec.yaml the rule comes from. */
  specRef: string;
  /** Whose rule it is: Heap's spec, Heap's reference app, or ours. */
  source: CaseSource;
  /**
   * For a `should` case: what failing it costs the partner, appended to its warning (e.g. which of
   * Heap's tools shows a failed delivery).
   */
  cost?: string;
  /** Why the case cannot run with these settings, or null when it can. */
  skipReason?(context: CaseContext): string | null;
  /** Batches of steps: the batches go one after another, the steps of a batch concurrently. */
  batches(context: CaseContext): Step[][];
  /**
   * For a case whose next request depends on the previous answers (measuring the replay window):
   * it sends through `send` and returns its own verdict; `batches` and `expect` are then unused.
   */
  probe?(
    context: CaseContext,
    send: (delivery: OutgoingDelivery) => Promise<Exchange>,
    inspection: InspectionClient | null,
  ): Promise<ProbeVerdict>;
  /** The expected answer, per step label (or for every step). */
  expect: AnswerExpectation | ((label: string) => AnswerExpectation);
  /**
   * With an inspection API: checks the segment's members after the case. `sent` holds the
   * deliveries the case expects to be accepted, in the order sent, for the membership model.
   * Returns null when they are right, else what is wrong.
   */
  expectMembers?(
    members: readonly string[],
    context: CaseContext,
    sent: readonly MembershipDelivery[],
  ): string | null;
}

/** A case's requests and answers, as the runner recorded them. */
export interface CaseRun {
  /** The context the case ran with (its segment, its secret). */
  context: CaseContext;
  exchanges: { label: string; exchange: Exchange }[];
  /** Members of the case's segment afterwards, when an inspection API was given. */
  members?: string[];
  /** Why members could not be read, when they could not. */
  inspectionError?: string;
}

export type CaseStatus = 'passed' | 'failed' | 'warning' | 'skipped';

/** What a probing case concluded. */
export interface ProbeVerdict {
  /**
   * `fail` counts against the case's severity; `warn` is a warning whatever the severity; `skip`:
   * the case could not run against this partner (the message says why).
   */
  verdict: 'pass' | 'fail' | 'warn' | 'skip';
  message: string;
  /** The behaviour, worded the same for every case that shows it (see CaseResult.behaviour). */
  behaviour?: string;
  likelyCause?: string;
  /** What the probe measured, shown whatever the verdict. */
  measured?: string;
  /** Every exchange the probe made, in order. */
  exchanges: { label: string; exchange: Exchange }[];
}

export interface CaseResult {
  id: string;
  group: Group;
  title: string;
  severity: Severity;
  specRef: string;
  source: CaseSource;
  status: CaseStatus;
  message: string;
  durationMs: number;
  /** For failures and warnings: the exchange that decided it, summarised. */
  evidence?: string;
  /**
   * For failures and warnings: the behaviour seen, worded the same for every case that shows it
   * (e.g. `answers 204 where 200 is recommended`), so that reports list it once with its cases.
   */
  behaviour?: string;
  /** One line naming the likely cause, when the pattern of results points to one. */
  likelyCause?: string;
  /** What the case measured (the replay window), shown whatever its status. */
  measured?: string;
}

/** One behaviour seen in one or more cases, reported once with the list of its cases. */
export interface Finding {
  /** `failed` when any of its cases failed, else `warning`. */
  status: 'failed' | 'warning';
  behaviour: string;
  /** Ids of the cases that showed it, in run order. */
  cases: string[];
  /** The evidence of its first case. */
  evidence?: string;
  likelyCause?: string;
}

/** A cause that the pattern of several results points to, with the cases that point to it. */
export interface Diagnosis {
  cause: string;
  cases: string[];
}
