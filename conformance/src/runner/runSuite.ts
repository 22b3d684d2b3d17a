// Runs the selected cases one after another: build requests -> send -> read effects -> judge ->
// tell the reporters. Knows nothing of how results are shown.
import { randomUUID } from 'node:crypto';
import type { DeliveryClient, Exchange } from '../delivery/webhookDelivery.ts';
import type { CaseContext, CaseResult, CaseRun, ConformanceCase } from '../cases/caseTypes.ts';
import type { InspectionClient } from './inspectionClient.ts';
import { judgeCase } from './judge.ts';

export interface SuiteSummary {
  passed: number;
  failed: number;
  warnings: number;
  skipped: number;
}

export interface SuiteResult {
  summary: SuiteSummary;
  cases: CaseResult[];
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
  maxAgeMs: number;
  maxSkewMs: number;
  largePageSize: number;
  client: DeliveryClient;
  inspection: InspectionClient | null;
  now?: () => number;
}

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

export async function runSuite(
  cases: readonly ConformanceCase[],
  settings: SuiteSettings,
  listeners: readonly SuiteListener[],
): Promise<SuiteResult> {
  const started = performance.now();
  // Each run uses fresh segment ids, so state a partner kept from an earlier run cannot interfere.
  const firstSegment = 900_000_000 + Math.floor(Math.random() * 90_000_000) * 10;
  for (const listener of listeners) listener.suiteStarted?.(cases.length);
  const results: CaseResult[] = [];
  for (const [index, conformanceCase] of cases.entries()) {
    const context: CaseContext = {
      url: settings.url,
      drainUrl: settings.drainUrl,
      secret: settings.secret,
      idToken: settings.idToken,
      segmentId: firstSegment + index,
      now: settings.now ?? Date.now,
      maxAgeMs: settings.maxAgeMs,
      maxSkewMs: settings.maxSkewMs,
      largePageSize: settings.largePageSize,
      newSyncTaskId: randomUUID,
    };
    const caseStarted = performance.now();
    const base = {
      id: conformanceCase.id,
      group: conformanceCase.group,
      title: conformanceCase.title,
      severity: conformanceCase.severity,
      specRef: conformanceCase.specRef,
    };
    let result: CaseResult;
    const skipReason = conformanceCase.skipReason?.(context) ?? null;
    if (skipReason) {
      result = { ...base, status: 'skipped', message: skipReason, durationMs: 0 };
    } else {
      const run = await runCase(conformanceCase, context, settings);
      const verdict = judgeCase(conformanceCase, run, settings.inspection !== null);
      result = { ...base, ...verdict, durationMs: Math.round(performance.now() - caseStarted) };
    }
    results.push(result);
    for (const listener of listeners) listener.caseFinished?.(result, index, cases.length);
  }
  const count = (status: CaseResult['status']) =>
    results.filter((result) => result.status === status).length;
  const suiteResult: SuiteResult = {
    summary: {
      passed: count('passed'),
      failed: count('failed'),
      warnings: count('warning'),
      skipped: count('skipped'),
    },
    cases: results,
    durationMs: Math.round(performance.now() - started),
  };
  for (const listener of listeners) listener.suiteFinished?.(suiteResult);
  return suiteResult;
}
