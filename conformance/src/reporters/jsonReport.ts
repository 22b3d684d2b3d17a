// The JSON report: `{summary, effectsVerified, stoppedBecause, findings, diagnoses, cases}`; each
// behaviour is listed once in `findings` with the ids of the cases that showed it.
import { SOURCE_NAMES } from '../cases/caseTypes.ts';
import type { SuiteResult } from '../runner/runSuite.ts';

export function jsonReport(result: SuiteResult): string {
  return `${JSON.stringify(
    {
      summary: result.summary,
      effectsVerified: result.effectsVerified,
      stoppedBecause: result.stoppedBecause,
      findings: result.findings.map(({ status, behaviour, cases, likelyCause }) => ({
        status,
        behaviour,
        cases,
        ...(likelyCause ? { likelyCause } : {}),
      })),
      diagnoses: result.diagnoses,
      cases: result.cases.map((item) => ({
        id: item.id,
        group: item.group,
        severity: item.severity,
        source: SOURCE_NAMES[item.source],
        specRef: item.specRef,
        status: item.status,
        message: item.message,
        ...(item.likelyCause ? { likelyCause: item.likelyCause } : {}),
        ...(item.measured ? { measured: item.measured } : {}),
        durationMs: item.durationMs,
      })),
    },
    null,
    2,
  )}\n`;
}
