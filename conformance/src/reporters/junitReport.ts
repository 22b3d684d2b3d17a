// The JUnit XML report for CI systems: one testsuite per group, one testcase per case; a behaviour
// warned in several cases is told once, with the list of its cases.
import { SOURCE_NAMES, type CaseResult, type Finding } from '../cases/caseTypes.ts';
import type { SuiteResult } from '../runner/runSuite.ts';

/** Control characters XML 1.0 cannot hold at all (tab, newline and carriage return it can). */
// eslint-disable-next-line no-control-regex -- matching those characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

const escapeXml = (text: string) =>
  text
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/**
 * A warned behaviour is told in full once, in the first case that showed it, with the list of its
 * cases; the other cases point there.
 */
function warningText(result: CaseResult, findings: readonly Finding[], detail: string): string {
  const finding = findings.find((item) => item.cases.includes(result.id));
  if (!finding || finding.cases.length === 1) return `warning: ${detail}`;
  if (finding.cases[0] !== result.id) {
    return `warning: ${escapeXml(finding.behaviour)} (as in ${finding.cases[0]})`;
  }
  return `warning: ${detail}\n${escapeXml(`seen in ${finding.cases.length} cases: ${finding.cases.join(', ')}`)}`;
}

function testcase(result: CaseResult, findings: readonly Finding[]): string {
  const open = `    <testcase classname="conformance.${result.group}" name="${escapeXml(`${result.id}: ${result.title}`)}" time="${(result.durationMs / 1000).toFixed(3)}"`;
  const detail = escapeXml(
    [
      result.message,
      result.likelyCause ? `likely cause: ${result.likelyCause}` : undefined,
      result.evidence,
      `spec: ${result.specRef} (source: ${SOURCE_NAMES[result.source]})`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  switch (result.status) {
    case 'passed':
      return `${open}/>`;
    case 'skipped':
      return `${open}>\n      <skipped message="${escapeXml(result.message)}"/>\n    </testcase>`;
    case 'failed':
      return `${open}>\n      <failure message="${escapeXml(result.message)}" type="${result.severity}">${detail}</failure>\n    </testcase>`;
    case 'warning':
      return `${open}>\n      <system-out>${warningText(result, findings, detail)}</system-out>\n    </testcase>`;
  }
}

export function junitReport(result: SuiteResult, name = 'heap-webhook-conformance'): string {
  const groups = [...new Set(result.cases.map((item) => item.group))];
  const suites = groups.map((group) => {
    const cases = result.cases.filter((item) => item.group === group);
    const count = (status: CaseResult['status']) =>
      cases.filter((item) => item.status === status).length;
    const time = cases.reduce((sum, item) => sum + item.durationMs, 0) / 1000;
    return [
      `  <testsuite name="conformance.${group}" tests="${cases.length}" failures="${count('failed')}" errors="0" skipped="${count('skipped')}" time="${time.toFixed(3)}">`,
      ...cases.map((item) => testcase(item, result.findings)),
      '  </testsuite>',
    ].join('\n');
  });
  const { summary } = result;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(name)}" tests="${result.cases.length}" failures="${summary.failed}" errors="0" skipped="${summary.skipped}" time="${(result.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
