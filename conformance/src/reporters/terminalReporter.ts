// Reports to a terminal as cases finish: one line per case under its group, the reason and the
// exchange for failures and warnings, and a summary.
import type { CaseResult } from '../cases/caseTypes.ts';
import type { SuiteListener, SuiteResult } from '../runner/runSuite.ts';

const MARKS: Record<CaseResult['status'], string> = {
  passed: '✓',
  failed: '✗',
  warning: '!',
  skipped: '-',
};

export function terminalReporter(write: (text: string) => void): SuiteListener {
  let group = '';
  return {
    caseFinished(result, index, total) {
      if (result.group !== group) {
        group = result.group;
        write(`\n${group}\n`);
      }
      const counter = `[${String(index + 1).padStart(String(total).length)}/${total}]`;
      write(
        `  ${counter} ${MARKS[result.status]} ${result.id}  ${result.title} (${result.durationMs} ms)\n`,
      );
      if (result.status === 'failed' || result.status === 'warning') {
        const label = result.status === 'failed' ? `FAILED (${result.severity})` : 'warning';
        write(`      ${label}: ${result.message}\n`);
        if (result.evidence) write(`${result.evidence.replace(/^/gm, '      ')}\n`);
        write(`      spec: ${result.specRef}\n`);
      }
    },
    suiteFinished(result: SuiteResult) {
      const { passed, failed, warnings, skipped } = result.summary;
      write(
        `\n${failed === 0 ? 'PASS' : 'FAIL'}: ${passed} passed, ${failed} failed, ${warnings} warnings, ` +
          `${skipped} skipped in ${(result.durationMs / 1000).toFixed(1)} s\n`,
      );
    },
  };
}
