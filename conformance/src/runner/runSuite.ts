// Runs the selected cases one after another: build requests -> send -> read effects -> judge ->
// tell the reporters. Knows nothing of how results are shown.
import type { DeliveryClient, Exchange } from '../delivery/webhookDelivery.ts';
import type {
  CaseContext,
  CaseResult,
  CaseRun,
  ConformanceCase,
  Diagnosis,
  Finding,
  ModelBudget,
} from '../cases/caseTypes.ts';
import { diagnoseResults, isGenuine, wrongRouteHint, wrongRouteStatus } from './diagnoseResults.ts';
import { groupFindings } from './groupFindings.ts';
import type { InspectionClient } from './inspectionClient.ts';
import { judgeCase, judgeProbe, type CaseVerdict } from './judge.ts';
import type { RunIdentifiers } from './runIdentifiers.ts';

export interface SuiteSummary {
  passed: number;
  failed: number;
  warnings: number;
  skipped: number;
}

export interface SuiteResult {
  summary: SuiteSummary;
  cases: CaseResult[];
  /** Failures and warnings grouped by behaviour: each behaviour once, with its cases. */
  findings: Finding[];
  /** Likely causes the pattern of results points to, one line each. */
  diagnoses: Diagnosis[];
  /** False when no inspection API was given: answers were judged, stored members were not. */
  effectsVerified: boolean;
  /** Why the run stopped before its last case (e.g. the endpoint hangs), or null. */
  stoppedBecause: string | null;
  /**
   * True when the run stopped because of how it was set up, not because of the partner's code:
   * the first genuine delivery found no route (404, 405, 501).
   */
  setupProblem: boolean;
  durationMs: number;
}

/** What reporters hear while the suite runs. */
export interface SuiteListener {
  suiteStarted?(total: number): void;
  caseFinished?(result: CaseResult, index: number, total: number): void;
  suiteFinished?(result: SuiteResult): void;
}

export interface SuiteSettings {
  url: string;
  drainUrl: string;
  secret: string;
  idToken: string;
  /** A second account, for the cases that check accounts are kept apart. */
  secondIdToken: string;
  /** An account the partner refuses, for the case that checks it does; null leaves it out. */
  unknownIdToken?: string | null;
  modelBudget: ModelBudget;
  maxAgeMs: number;
  maxSkewMs: number;
  largePageSize: number;
  /** The per-request time limit the client enforces, to say so when the endpoint hangs. */
  timeoutMs: number;
  client: DeliveryClient;
  inspection: InspectionClient | null;
  /** Stop at the first failed case, skipping the rest (a mutant needs one failure to be killed). */
  failFast?: boolean;
  /** Count warnings as failures when stopping early (`--strict`). */
  strict?: boolean;
  /** The run's segment ids and sync_task_ids. */
  identifiers: RunIdentifiers;
  now?: () => number;
}

/** How far apart a case's further segment ids are: more than the number of cases. */
const OTHER_SEGMENT_STRIDE = 1_000;

/** After this many requests in a row got no answer in time, the endpoint is taken to hang. */
export const HANG_AFTER_TIMEOUTS = 3;

async function runCase(
  conformanceCase: ConformanceCase,
  context: CaseContext,
  settings: SuiteSettings,
): Promise<CaseRun> {
  const exchanges: CaseRun['exchanges'] = [];
  for (const batch of conformanceCase.batches(context)) {
    const answers = await Promise.all(
      batch.map(async (step): Promise<{ label: string; exchange: Exchange }> => ({
        label: step.label,
        exchange: await settings.client.send(step.build(context)),
      })),
    );
    exchanges.push(...answers);
  }
  const run: CaseRun = { context, exchanges };
  if (conformanceCase.expectMembers && settings.inspection) {
    try {
      run.members = await settings.inspection.members(context.idToken, context.segmentId);
    } catch (error) {
      run.inspectionError = (error as Error).message;
    }
  }
  return run;
}

/** How many of these exchanges, taken in order, end in an unbroken run of timeouts. */
function trailingTimeouts(exchanges: readonly Exchange[], before: number): number {
  let count = before;
  for (const exchange of exchanges) {
    count = !exchange.ok && exchange.error === 'timeout' ? count + 1 : 0;
  }
  return count;
}

export async function runSuite(
  cases: readonly ConformanceCase[],
  settings: SuiteSettings,
  listeners: readonly SuiteListener[],
): Promise<SuiteResult> {
  const started = performance.now();
  // Each run uses fresh segment ids, so state a partner kept from an earlier run cannot interfere.
  const firstSegment = settings.identifiers.firstSegmentId;
  for (const listener of listeners) listener.suiteStarted?.(cases.length);
  const results: CaseResult[] = [];
  let timeoutsInARow = 0;
  let stoppedBecause: string | null = null;
  let setupProblem = false;
  let genuineSeen = false;
  for (const [index, conformanceCase] of cases.entries()) {
    const context: CaseContext = {
      url: settings.url,
      drainUrl: settings.drainUrl,
      secret: settings.secret,
      idToken: settings.idToken,
      secondIdToken: settings.secondIdToken,
      unknownIdToken: settings.unknownIdToken ?? null,
      segmentId: firstSegment + index,
      // Cases take consecutive ids from the first; further ones are a thousand apart per case.
      otherSegmentId: (n) => firstSegment + index + OTHER_SEGMENT_STRIDE * n,
      now: settings.now ?? Date.now,
      maxAgeMs: settings.maxAgeMs,
      maxSkewMs: settings.maxSkewMs,
      largePageSize: settings.largePageSize,
      newSyncTaskId: settings.identifiers.newSyncTaskId,
      modelBudget: settings.modelBudget,
    };
    const caseStarted = performance.now();
    const base = {
      id: conformanceCase.id,
      group: conformanceCase.group,
      title: conformanceCase.title,
      severity: conformanceCase.severity,
      specRef: conformanceCase.specRef,
      source: conformanceCase.source,
    };
    let result: CaseResult;
    const skipReason = stoppedBecause
      ? `not run: ${stoppedBecause}`
      : (conformanceCase.skipReason?.(context) ?? null);
    if (skipReason) {
      result = { ...base, status: 'skipped', message: skipReason, durationMs: 0 };
    } else {
      let verdict: CaseVerdict;
      let exchanges: Exchange[];
      if (conformanceCase.probe) {
        const outcome = await conformanceCase.probe(
          context,
          (delivery) => settings.client.send(delivery),
          settings.inspection,
        );
        verdict = judgeProbe(outcome, conformanceCase.severity, context.secret);
        exchanges = outcome.exchanges.map((item) => item.exchange);
      } else {
        const run = await runCase(conformanceCase, context, settings);
        verdict = judgeCase(conformanceCase, run, settings.inspection !== null);
        exchanges = run.exchanges.map((item) => item.exchange);
      }
      result = { ...base, ...verdict, durationMs: Math.round(performance.now() - caseStarted) };
      const routeStatus = genuineSeen || !isGenuine(result) ? null : wrongRouteStatus(result);
      genuineSeen ||= isGenuine(result);
      if (routeStatus !== null) {
        // A genuine delivery that finds no route says nothing about the partner: every later case
        // would fail the same way and bury the one thing to fix.
        setupProblem = true;
        stoppedBecause =
          `${exchanges[0]?.request.url ?? settings.url} answered ${routeStatus} to the first ` +
          `genuine delivery (${result.id}): ${wrongRouteHint(routeStatus)}`;
      }
      timeoutsInARow = trailingTimeouts(exchanges, timeoutsInARow);
      if (timeoutsInARow >= HANG_AFTER_TIMEOUTS) {
        stoppedBecause =
          `the endpoint hangs: ${timeoutsInARow} requests in a row got no answer within ` +
          `${settings.timeoutMs} ms`;
      }
      const counts =
        result.status === 'failed' || (settings.strict === true && result.status === 'warning');
      if (!stoppedBecause && settings.failFast && counts) {
        stoppedBecause = `stopped at the first failure, ${result.id} (--fail-fast)`;
      }
    }
    results.push(result);
    for (const listener of listeners) listener.caseFinished?.(result, index, cases.length);
  }
  const diagnoses = diagnoseResults(results);
  const withCauses = results.map((result) => {
    const diagnosis = diagnoses.find((item) => item.cases.includes(result.id));
    return diagnosis && !result.likelyCause ? { ...result, likelyCause: diagnosis.cause } : result;
  });
  const count = (status: CaseResult['status']) =>
    withCauses.filter((result) => result.status === status).length;
  const suiteResult: SuiteResult = {
    summary: {
      passed: count('passed'),
      failed: count('failed'),
      warnings: count('warning'),
      skipped: count('skipped'),
    },
    cases: withCauses,
    findings: groupFindings(withCauses),
    diagnoses,
    effectsVerified: settings.inspection !== null,
    stoppedBecause,
    setupProblem,
    durationMs: Math.round(performance.now() - started),
  };
  for (const listener of listeners) listener.suiteFinished?.(suiteResult);
  return suiteResult;
}
