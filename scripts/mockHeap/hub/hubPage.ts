// The Developer Hub page: the integration, connected accounts, segments and the live delivery log.
import { accountsSection } from './accountsSection.ts';
import type { DeliveryLogEntry } from './deliveryLog.ts';
import { deliveryLogSection } from './deliveryLogSection.ts';
import { escapeHtml } from '../../../support/src/escapeHtml.ts';
import { PAGE_STYLE } from '../../../support/src/pageStyle.ts';
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
<style>${PAGE_STYLE}  body { max-width: 75rem; }
  td form { display: inline; }
  #delivery-log td:first-child { white-space: nowrap; font-variant-numeric: tabular-nums; }
  h1 small { font-size: .6em; color: #5b5f6e; font-weight: 400; }
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
