// The server's HTML pages: the connect flow, and the page for an unknown address. Everything
// interpolated is escaped; no token, and no id_token, is ever shown.
import { commandLine } from '../../../support/src/commandLine.ts';
import { escapeHtml } from '../../../support/src/escapeHtml.ts';
import { PAGE_STYLE } from '../../../support/src/pageStyle.ts';

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}  body { max-width: 40rem; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function connectPage(): string {
  return layout(
    'Connect Heap',
    `<h1>Connect Heap</h1>
<p>Authorize this app to receive segment syncs from your Heap environment.</p>
<form method="post" action="/api/authorize"><button type="submit">Connect Heap</button></form>`,
  );
}

export function connectedPage(details: {
  envId: string;
  authorizedBy: string;
  authorizedAt: string;
  /** The local mock Heap's Developer Hub, when Heap is the mock; null for Heap itself. */
  developerHubUrl: string | null;
}): string {
  return layout(
    'Heap connected',
    `<h1>Heap connected</h1>
<dl>
  <dt>Environment</dt><dd>${escapeHtml(details.envId)}</dd>
  <dt>Authorized by</dt><dd>${escapeHtml(details.authorizedBy)}</dd>
  <dt>Authorized at</dt><dd>${escapeHtml(details.authorizedAt)}</dd>
</dl>
<p>Segment syncs for this account will arrive on this server's webhook.</p>
<h2>Next</h2>
<ul>
  <li>Send a sample sync: <code>${escapeHtml(commandLine('send'))} sync</code> (it carries the account connected last)</li>
  ${details.developerHubUrl ? `<li><a href="${escapeHtml(details.developerHubUrl)}">Back to the Developer Hub</a>, to send a sample segment or sync a test segment</li>` : ''}
</ul>`,
  );
}

export function failurePage(title: string, explanation: string): string {
  return layout(
    title,
    `<h1 class="error">${escapeHtml(title)}</h1>
<p>${escapeHtml(explanation)}</p>
<p><a href="/">Start again</a></p>`,
  );
}

export function notFoundPage(path: string): string {
  return layout(
    'Page not found',
    `<h1 class="error">Page not found</h1>
<p>This server has no page at <code>${escapeHtml(path)}</code>.</p>
<p><a href="/">Go to the connect page</a></p>`,
  );
}
