// The Developer Hub page: the integration, connected accounts, segments and the live delivery log.
import { accountsSection } from './accountsSection.ts';
import type { DeliveryLogEntry } from './deliveryLog.ts';
import { deliveryLogSection } from './deliveryLogSection.ts';
import { escapeHtml } from '../../../support/src/escapeHtml.ts';
import { hubScript } from './hubScript.ts';
import { integrationSection, type IntegrationView } from './integrationSection.ts';
import { segmentsSection } from './segmentsSection.ts';

export interface HubPageView extends IntegrationView {
  log: readonly DeliveryLogEntry[];
  /** One line saying what the last action did, or null. */
  notice: string | null;
  /** Nonce allowing the page's inline script under its Content-Security-Policy. */
  nonce: string;
}

export function hubPage(view: HubPageView): string {
  const notice =
    view.notice === null ? '' : `<p role="status" id="notice">${escapeHtml(view.notice)}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Developer Hub (mock Heap)</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 75rem; }
  table { border-collapse: collapse; margin: 0.5rem 0; }
  th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
  td form { display: inline; }
  output { font-family: monospace; }
  #notice { background: #eef6ee; padding: 0.5rem; }
</style>
</head>
<body>
<header><h1>Developer Hub <small>(mock Heap)</small></h1></header>
<main>
${notice}
${integrationSection(view)}
${accountsSection(view.data.accounts)}
${segmentsSection(view.data.segments, view.data.accounts)}
${deliveryLogSection(view.log)}
</main>
<script nonce="${escapeHtml(view.nonce)}">${hubScript()}</script>
</body>
</html>
`;
}
