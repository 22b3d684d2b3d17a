// What `npm start` prints once both processes listen: the Developer Hub first, then what a
// partner needs to connect, send and inspect. Secrets other than the development ones are named,
// never printed.
import { commandLine } from '../../support/src/commandLine.ts';
import { devDefaults } from '../../server/src/index.ts';

export interface SandboxView {
  port: string;
  mockUrl: string;
  webhookSecret: string;
  adminToken: string | undefined;
  databaseUrl: string;
  /** The CA file when the mock serves HTTPS. */
  caFile: string | null;
}

export function sandboxBanner(view: SandboxView): string {
  const base = `http://localhost:${view.port}`;
  const lines = [
    '',
    'Heap Segment Sync sandbox is running (Ctrl-C stops both)',
    `  Developer Hub:  ${view.mockUrl}/hub   (webhook settings, secret, sample and segment syncs, delivery log)`,
    `  Connect page:   ${base}/               (OAuth against the mock Heap at ${view.mockUrl})`,
    `  Webhooks:       ${base}/users_sync  ${base}/users_drain  ${base}/webhooks/heap`,
    `  Webhook secret: ${view.webhookSecret === devDefaults.webhookSecret ? view.webhookSecret : '(the value of WEBHOOK_SECRET)'}`,
    `  Inspection API: ${view.adminToken ? `${base}/admin   (Authorization: Bearer $ADMIN_TOKEN)` : 'disabled (set ADMIN_TOKEN to enable it)'}`,
    `  Store:          ${view.databaseUrl}`,
  ];
  if (view.caFile) {
    lines.push(
      `  Local CA:       ${view.caFile}`,
      `  A client of the HTTPS mock needs: NODE_EXTRA_CA_CERTS=${view.caFile}`,
      // A browser trusts neither the CA nor NODE_EXTRA_CA_CERTS: the Hub would only show a warning.
      `  In a browser:       import ${view.caFile} as a trusted certificate authority (Chrome: Settings > Privacy and security > Security > Manage certificates; Firefox: Settings > Certificates > Authorities), or accept the warning once for ${view.mockUrl}`,
    );
  }
  // The sender reads PORT too, but another terminal does not have it: name the URL off the default.
  const sendUrl =
    view.port === String(devDefaults.port) ? '' : ` --url http://127.0.0.1:${view.port}/users_sync`;
  lines.push(`  Send a sample sync:  ${commandLine('send')} sync${sendUrl}`, '');
  return lines.join('\n');
}
