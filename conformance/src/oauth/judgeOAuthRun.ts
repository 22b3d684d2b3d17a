// Judges a connect-flow run: each case's pure verdict under its severity, redacted, then the same
// findings and diagnoses as the webhook run, so every reporter shows it the same way.
import type { CaseResult, CaseStatus } from '../cases/caseTypes.ts';
import { redactValues } from '../reporters/redactSignatures.ts';
import { diagnoseResults } from '../runner/diagnoseResults.ts';
import { groupFindings } from '../runner/groupFindings.ts';
import type { SuiteListener, SuiteResult } from '../runner/runSuite.ts';
import type { ObservedRun } from './flowTypes.ts';
import type { OAuthCase, OAuthVerdict } from './oauthCases.ts';

function statusOf(verdict: OAuthVerdict, severity: OAuthCase['severity']): CaseStatus {
  if (verdict.verdict === 'pass') return 'passed';
  if (verdict.verdict === 'skip') return 'skipped';
  if (severity === 'must') return 'failed';
  return severity === 'should' ? 'warning' : 'passed';
}

export function judgeOAuthRun(
  cases: readonly OAuthCase[],
  run: ObservedRun,
  options: {
    secrets: readonly { value: string; label: string }[];
    durationMs: number;
    listeners: readonly SuiteListener[];
  },
): SuiteResult {
  const clean = (text: string) => redactValues(text, options.secrets);
  for (const listener of options.listeners) listener.suiteStarted?.(cases.length);
  const results: CaseResult[] = cases.map((oauthCase, index) => {
    const started = performance.now();
    const verdict = oauthCase.judge(run);
    const status = statusOf(verdict, oauthCase.severity);
    const result: CaseResult = {
      id: oauthCase.id,
      group: 'oauth',
      title: oauthCase.title,
      severity: oauthCase.severity,
      specRef: oauthCase.specRef,
      source: oauthCase.source,
      status,
      message: clean(verdict.message),
      durationMs: Math.round(performance.now() - started),
      ...(verdict.evidence && status !== 'passed' ? { evidence: clean(verdict.evidence) } : {}),
      ...(verdict.likelyCause && status !== 'passed'
        ? { likelyCause: clean(verdict.likelyCause) }
        : {}),
    };
    for (const listener of options.listeners) listener.caseFinished?.(result, index, cases.length);
    return result;
  });
  const count = (status: CaseStatus) => results.filter((result) => result.status === status).length;
  const suite: SuiteResult = {
    summary: {
      passed: count('passed'),
      failed: count('failed'),
      warnings: count('warning'),
      skipped: count('skipped'),
    },
    cases: results,
    findings: groupFindings(results),
    diagnoses: diagnoseResults(results),
    effectsVerified: run.successSignal === 'inspection',
    setupProblem: false,
    stoppedBecause: null,
    durationMs: options.durationMs,
  };
  for (const listener of options.listeners) listener.suiteFinished?.(suite);
  return suite;
}
