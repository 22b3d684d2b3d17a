// Groups failed and warned cases by the behaviour they show, so that one behaviour seen in many
// cases (204 where 200 is recommended) is reported once with its list of cases.
import type { CaseResult, Finding } from '../cases/caseTypes.ts';

export function groupFindings(results: readonly CaseResult[]): Finding[] {
  const byBehaviour = new Map<string, Finding>();
  for (const result of results) {
    if (result.status !== 'failed' && result.status !== 'warning') continue;
    const behaviour = result.behaviour ?? result.message;
    const finding = byBehaviour.get(behaviour);
    if (finding) {
      finding.cases.push(result.id);
      if (result.status === 'failed') finding.status = 'failed';
      finding.likelyCause ??= result.likelyCause;
      continue;
    }
    byBehaviour.set(behaviour, {
      status: result.status,
      behaviour,
      cases: [result.id],
      ...(result.evidence ? { evidence: result.evidence } : {}),
      ...(result.likelyCause ? { likelyCause: result.likelyCause } : {}),
    });
  }
  // Failures first, then warnings; each in the order first seen.
  const findings = [...byBehaviour.values()];
  return [
    ...findings.filter((finding) => finding.status === 'failed'),
    ...findings.filter((finding) => finding.status === 'warning'),
  ];
}
