// The HTML report: one self-contained page (inline CSS, no script, nothing loaded from anywhere)
// with the counts, likely causes, findings by behaviour, each failure and warning with its exchange,
// likely cause and spec reference, and every case by group. Everything printed is escaped, and signatures and secrets are redacted.
import { escapeHtml } from '../../../support/src/escapeHtml.ts';
import type { CaseResult, CaseStatus } from '../cases/caseTypes.ts';
import type { SuiteResult } from '../runner/runSuite.ts';
import { likelyCause } from './likelyCause.ts';
import { redactSignatures } from './redactSignatures.ts';

export interface HtmlReportContext {
  /** The webhook URL the run certified. */
  target: string;
  /** The URL drains went to, when it is not the target. */
  drainUrl?: string;
  /** Secrets the run used: they never appear in the page. */
  secrets: readonly string[];
  /** When the run finished. */
  finishedAt: Date;
  /**
   * How text from the run is cleaned, when the run knows its secret values exactly (the connect
   * flow); by default signatures, digest-like runs and `secrets` are hidden.
   */
  redact?: (text: string) => string;
  /** The page's title (default: Heap webhook conformance). */
  title?: string;
}

const STATUS_TEXT: Record<CaseStatus, string> = {
  passed: 'passed',
  failed: 'FAILED',
  warning: 'warning',
  skipped: 'skipped',
};

const STYLE = `
  :root { color-scheme: light; --fail: #b3261e; --warn: #8a5a00; --pass: #1e6b35; --muted: #5f6368; }
  body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 72rem; padding: 1.5rem; color: #1f1f1f; }
  h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
  h1 .verdict-fail { color: var(--fail); } h1 .verdict-pass { color: var(--pass); }
  .meta { color: var(--muted); margin: 0 0 1.5rem; }
  .counts { display: flex; gap: 1rem; flex-wrap: wrap; margin: 0; }
  .counts div { border: 1px solid #ddd; border-radius: .5rem; padding: .5rem 1rem; min-width: 7rem; }
  .counts dt { font-size: .85rem; color: var(--muted); } .counts dd { margin: 0; font-size: 1.5rem; font-weight: 600; }
  .finding { border-left: .3rem solid var(--warn); background: #fffaf0; padding: .5rem 1rem; margin: 1rem 0; }
  .finding.failed { border-color: var(--fail); background: #fff5f5; }
  .finding h3 { margin: .25rem 0; font-size: 1.05rem; }
  .finding dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
  .finding dt { font-weight: 600; } .finding dd { margin: 0; }
  pre { background: #f4f4f4; padding: .75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; font-size: .85rem; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }
  th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #eee; vertical-align: top; }
  td:nth-child(n+3) { white-space: nowrap; }
  td.status-failed { color: var(--fail); font-weight: 600; } td.status-warning { color: var(--warn); font-weight: 600; }
  td.status-passed { color: var(--pass); } td.status-skipped { color: var(--muted); }
  li.status-failed strong { color: var(--fail); } li.status-warning strong { color: var(--warn); }
  code { font-size: .9em; }
  .stopped { color: var(--fail); }
`;

export function htmlReport(result: SuiteResult, context: HtmlReportContext): string {
  // What the partner or the run produced is redacted; the suite's own names and references are not.
  // The URLs the run certified are shown as given, even where a port and path look like a digest.
  const knownUrls = [context.target, ...(context.drainUrl ? [context.drainUrl] : [])];
  const redact =
    context.redact ?? ((text: string) => redactSignatures(text, context.secrets, knownUrls));
  const clean = (text: string) => escapeHtml(redact(text));
  const own = escapeHtml;
  const anchor = (item: CaseResult) => `case-${item.id.replace(/[^A-Za-z0-9_.-]/g, '-')}`;
  const { passed, failed, warnings, skipped } = result.summary;
  const verdict = failed === 0 ? 'PASS' : 'FAIL';

  const finding = (item: CaseResult) => {
    const cause = item.likelyCause ?? likelyCause(item);
    const label = item.status === 'failed' ? `FAILED (${item.severity})` : 'warning';
    return `<article class="finding ${item.status}" id="${anchor(item)}">
  <h3>${own(label)}: <code>${own(item.id)}</code> ${own(item.title)}</h3>
  <dl>
    <dt>Severity</dt><dd>${own(item.severity)}</dd>
    <dt>What happened</dt><dd>${clean(item.message)}</dd>
    <dt>Likely cause</dt><dd>${cause ? clean(cause) : 'not known from this case alone'}</dd>
    <dt>Spec</dt><dd><code>${own(item.specRef)}</code></dd>
    ${item.measured ? `<dt>Measured</dt><dd>${clean(item.measured)}</dd>` : ''}
  </dl>
  ${item.evidence ? `<pre aria-label="Exchange">${clean(item.evidence)}</pre>` : ''}
</article>`;
  };

  const { diagnoses } = result;
  const diagnosisSection =
    diagnoses.length === 0
      ? ''
      : `<section aria-labelledby="diagnoses">
<h2 id="diagnoses">Likely causes</h2>
<ul>
${diagnoses.map((item) => `<li>${clean(item.cause)} (${item.cases.map((id) => `<code>${own(id)}</code>`).join(', ')})</li>`).join('\n')}
</ul>
</section>`;
  const stopped = result.stoppedBecause
    ? `<p class="stopped"><strong>The run stopped early:</strong> ${clean(result.stoppedBecause)}</p>`
    : '';
  const byId = new Map(result.cases.map((item) => [item.id, item]));
  const caseLink = (id: string) => {
    const item = byId.get(id);
    return item
      ? `<a href="#${anchor(item)}"><code>${own(id)}</code></a>`
      : `<code>${own(id)}</code>`;
  };
  const behaviourSection =
    result.findings.length === 0
      ? ''
      : `<section aria-labelledby="behaviours">
<h2 id="behaviours">Findings by behaviour</h2>
<ul>
${result.findings.map((item) => `<li class="status-${item.status}"><strong>${STATUS_TEXT[item.status]}</strong>: ${clean(item.behaviour)} (${item.cases.length === 1 ? '1 case' : `${item.cases.length} cases`}: ${item.cases.map(caseLink).join(', ')})</li>`).join('\n')}
</ul>
</section>`;
  const findings = result.cases.filter(
    (item) => item.status === 'failed' || item.status === 'warning',
  );
  const groups = [...new Set(result.cases.map((item) => item.group))];
  const groupSection = (group: string) => {
    const cases = result.cases.filter((item) => item.group === group);
    const count = (status: CaseStatus) => cases.filter((item) => item.status === status).length;
    const rows = cases
      .map((item) => {
        const name =
          item.status === 'failed' || item.status === 'warning'
            ? `<a href="#${anchor(item)}">${own(item.id)}</a>`
            : own(item.id);
        return `<tr><td><code>${name}</code></td><td>${own(item.title)}</td><td class="status-${item.status}">${STATUS_TEXT[item.status]}</td><td>${own(item.severity)}</td><td>${item.durationMs} ms</td></tr>`;
      })
      .join('\n');
    return `<section aria-labelledby="group-${own(group)}">
<h3 id="group-${own(group)}">${own(group)}: ${count('passed')} passed, ${count('failed')} failed, ${count('warning')} warnings, ${count('skipped')} skipped</h3>
<table>
<thead><tr><th scope="col">Case</th><th scope="col">What it checks</th><th scope="col">Status</th><th scope="col">Severity</th><th scope="col">Time</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
  };

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${own(context.title ?? 'Heap webhook conformance')}: ${verdict}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${own(context.title ?? 'Heap webhook conformance')}: <span class="verdict-${verdict.toLowerCase()}">${verdict}</span></h1>
<p class="meta">Target <code>${clean(context.target)}</code> · ${result.effectsVerified ? 'effects verified through the inspection API' : 'effects not verified (no inspection API)'} · ${result.cases.length} cases in ${(result.durationMs / 1000).toFixed(1)} s · finished ${own(context.finishedAt.toISOString())}</p>
${stopped}
</header>
<main>
<section aria-labelledby="summary">
<h2 id="summary">Summary</h2>
<dl class="counts">
<div><dt>Passed</dt><dd>${passed}</dd></div>
<div><dt>Failed</dt><dd>${failed}</dd></div>
<div><dt>Warnings</dt><dd>${warnings}</dd></div>
<div><dt>Skipped</dt><dd>${skipped}</dd></div>
</dl>
</section>
${diagnosisSection}
${behaviourSection}
<section aria-labelledby="findings">
<h2 id="findings">Failures and warnings</h2>
${findings.length > 0 ? findings.map(finding).join('\n') : '<p>None: every case that ran passed.</p>'}
</section>
<section aria-labelledby="groups">
<h2 id="groups">Cases by group</h2>
${groups.map(groupSection).join('\n')}
</section>
</main>
</body>
</html>
`;
}
