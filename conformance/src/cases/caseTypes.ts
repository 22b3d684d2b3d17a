// What a conformance case is: data that says what to send, in which order, and what to expect.
import type { OutgoingDelivery } from '../../../spec/src/index.ts';
import type { Exchange } from '../delivery/webhookDelivery.ts';

export type Group = 'examples' | 'signature' | 'sync' | 'drain' | 'robustness';
export const GROUPS: readonly Group[] = ['examples', 'signature', 'sync', 'drain', 'robustness'];

/** `must`: a failure fails the run. `should`: a failure is reported as a warning. */
export type Severity = 'must' | 'should';

/** Everything a case needs to build its requests; one per case, with its own segment. */
export interface CaseContext {
  url: string;
  drainUrl: string;
  secret: string;
  idToken: string;
  /** A segment id used by this case only. */
  segmentId: number;
  /** The sender's clock, ms since the epoch. */
  now(): number;
  /** Oldest timestamp a partner is expected to accept, in ms. */
  maxAgeMs: number;
  /** Furthest-ahead timestamp a partner is expected to accept, in ms. */
  maxSkewMs: number;
  largePageSize: number;
  /** A fresh sync_task_id. */
  newSyncTaskId(): string;
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
  /** Why the case cannot run with these settings, or null when it can. */
  skipReason?(context: CaseContext): string | null;
  /** Batches of steps: the batches go one after another, the steps of a batch concurrently. */
  batches(context: CaseContext): Step[][];
  /** The expected answer, per step label (or for every step). */
  expect: AnswerExpectation | ((label: string) => AnswerExpectation);
  /**
   * With an inspection API: checks the segment's members after the case. Returns null when they are
   * right, else what is wrong.
   */
  expectMembers?(members: readonly string[], context: CaseContext): string | null;
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

export interface CaseResult {
  id: string;
  group: Group;
  title: string;
  severity: Severity;
  specRef: string;
  status: CaseStatus;
  message: string;
  durationMs: number;
  /** For failures and warnings: the exchange that decided it, summarised. */
  evidence?: string;
}
