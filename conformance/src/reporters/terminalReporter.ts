// Reports to a terminal as cases finish: one line per case under its group, the reason and the
// exchange for failures and for the first case showing each warned behaviour; then each behaviour
// once with its cases, the likely causes, and a summary.
import { SOURCE_NAMES, type CaseResult } from '../cases/caseTypes.ts';
import type { SuiteListener, SuiteResult } from '../runner/runSuite.ts';

const MARKS: Record<CaseResult['status'], string> = {
  passed: '✓',
  failed: '✗',
  warning: '!',
  skipped: '-',
};

/** Case ids, all of them when few, else the first few and how many more. */
const listCases = (ids: readonly string[]) =>
  ids.length <= 8 ? ids.join(', ') : `${ids.slice(0, 8).join(', ')} and ${ids.length - 8} more`;

export function terminalReporter(write: (text: string) => void): SuiteListener {
  let group = '';
  const behavioursShown = new Map<string, string>();
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
      if (result.measured && result.status === 'passed') write(`      ${result.measured}\n`);
      if (result.status !== 'failed' && result.status !== 'warning') return;
      const label = result.status === 'failed' ? `FAILED (${result.severity})` : 'warning';
      const firstSeenIn = result.behaviour ? behavioursShown.get(result.behaviour) : undefined;
      if (result.status === 'warning' && firstSeenIn) {
        write(`      ${label}: ${result.behaviour} (as in ${firstSeenIn})\n`);
        return;
      }
      if (result.behaviour) behavioursShown.set(result.behaviour, result.id);
      write(`      ${label}: ${result.message}\n`);
      if (result.evidence) write(`${result.evidence.replace(/^/gm, '      ')}\n`);
      write(`      spec: ${result.specRef} (source: ${SOURCE_NAMES[result.source]})\n`);
    },
    suiteFinished(result: SuiteResult) {
      const repeated = result.findings.filter((finding) => finding.cases.length > 1);
      if (repeated.length > 0) {
        write('\nSeen in several cases (each behaviour once):\n');
        for (const finding of repeated) {
          const mark = finding.status === 'failed' ? MARKS.failed : MARKS.warning;
          write(
            `  ${mark} ${finding.behaviour}: ${finding.cases.length} cases (${listCases(finding.cases)})\n`,
          );
        }
      }
      for (const diagnosis of result.diagnoses) {
        write(`\nLikely cause: ${diagnosis.cause} (${listCases(diagnosis.cases)})\n`);
      }
      if (result.stoppedBecause) write(`\nStopped early: ${result.stoppedBecause}\n`);
      const { passed, failed, warnings, skipped } = result.summary;
      const warnedBehaviours = result.findings.filter((item) => item.status === 'warning').length;
      write(
        `\n${failed === 0 ? 'PASS' : 'FAIL'}: ${passed} passed, ${failed} failed, ${warnings} warnings` +
          (warnings > 0
            ? ` (${warnedBehaviours} ${warnedBehaviours === 1 ? 'behaviour' : 'behaviours'})`
            : '') +
          `, ${skipped} skipped in ${(result.durationMs / 1000).toFixed(1)} s` +
          `${result.effectsVerified ? '' : '; effects not verified (no --inspect-url)'}\n`,
      );
    },
  };
}
