// The Developer Hub's connected accounts: every environment connected through the OAuth flow.
import { escapeHtml } from '../../../support/src/escapeHtml.ts';
import type { ConnectedAccount } from './hubState.ts';

export function accountsSection(accounts: readonly ConnectedAccount[]): string {
  const rows = accounts
    .map(
      (account) =>
        `<tr><td><code>${escapeHtml(account.idToken)}</code></td><td>${escapeHtml(account.envId)}</td>` +
        `<td>${escapeHtml(account.authorizedBy)}</td><td><time datetime="${escapeHtml(account.authorizedAt)}">${escapeHtml(account.authorizedAt)}</time></td></tr>`,
    )
    .join('\n');
  const body =
    accounts.length === 0
      ? '<p>No account connected yet: use the partner app\'s "Connect Heap" button.</p>'
      : `<table>
    <caption>Environments that connected through the partner app's OAuth flow; a sync for one carries its id_token.</caption>
    <thead><tr><th scope="col">Account (id_token)</th><th scope="col">Environment</th><th scope="col">Authorized by</th><th scope="col">Authorized at</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
  return `<section aria-labelledby="accounts-title">
  <h2 id="accounts-title">Connected accounts</h2>
  ${body}
</section>`;
}
