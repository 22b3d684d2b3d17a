// The Developer Hub's integration settings: webhook URL, OAuth redirect URL, the webhook secret
// (shown only on "Reveal webhook secret") and "Send sample segment".
import { escapeHtml } from '../../../support/src/escapeHtml.ts';
import type { HubData, HubSettings } from './hubState.ts';

export interface IntegrationView {
  data: HubData;
  /** Where each setting's value comes from: saved in the Hub, the environment, or the default. */
  sources: Record<keyof HubSettings, string>;
  clientId: string;
  /** The secret, only on the page answering "Reveal webhook secret". */
  revealedSecret: string | null;
  /** Account sample deliveries carry, as text. */
  sampleAccount: string;
}

export function integrationSection(view: IntegrationView): string {
  const { settings } = view.data;
  const secret =
    view.revealedSecret === null
      ? '<output id="webhook-secret">hidden</output>'
      : `<output id="webhook-secret">${escapeHtml(view.revealedSecret)}</output>`;
  return `<section aria-labelledby="integration-title">
  <h2 id="integration-title">Integration</h2>
  <p>Client ID: <code>${escapeHtml(view.clientId)}</code></p>
  <form method="post" action="/hub/settings">
    <p><label for="webhook-url">Webhook URL</label>
      <input id="webhook-url" name="webhookUrl" type="url" required size="60" value="${escapeHtml(settings.webhookUrl)}">
      <small id="webhook-url-source">${escapeHtml(view.sources.webhookUrl)}</small></p>
    <p><label for="redirect-uri">OAuth redirect URL</label>
      <input id="redirect-uri" name="redirectUri" type="url" required size="60" value="${escapeHtml(settings.redirectUri)}">
      <small id="redirect-uri-source">${escapeHtml(view.sources.redirectUri)}</small></p>
    <p><button type="submit">Save</button></p>
  </form>
  <form method="post" action="${view.revealedSecret === null ? '/hub/secret' : '/hub/secret/hide'}">
    <p><button type="submit">${view.revealedSecret === null ? 'Reveal' : 'Hide'} webhook secret</button>
      <label for="webhook-secret">Webhook secret</label> ${secret}</p>
  </form>
  <form method="post" action="/hub/sample">
    <p><button type="submit">Send sample segment</button>
      one signed page of dummy users to the webhook URL, as account ${escapeHtml(view.sampleAccount)}</p>
  </form>
</section>`;
}
