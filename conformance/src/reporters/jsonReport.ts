// The JSON report: `{summary: {passed, failed, warnings, skipped}, cases: [...]}`.
import type { SuiteResult } from '../runner/runSuite.ts';

export function jsonReport(result: SuiteResult): string {
  return `${JSON.stringify(
    {
      summary: result.summary,
      cases: result.cases.map(({ id, group, severity, status, message, durationMs }) => ({
        id,
        group,
        severity,
        status,
        message,
        durationMs,
      })),
    },
    null,
    2,
  )}\n`;
}
