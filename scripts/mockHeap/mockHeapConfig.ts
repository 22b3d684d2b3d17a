// The mock Heap's settings: the registered partner app it accepts, read from the same variables
// the reference server uses, with the same development defaults.
import path from 'node:path';
import { devDefaults } from '../../server/src/index.ts';

export interface MockHeapConfig {
  port: number;
  clientId: string;
  clientSecret: string;
  /** The registered redirect URI, matched exactly (the Developer Hub can change it). */
  redirectUri: string;
  /** True when REDIRECT_URI set `redirectUri` (rather than the default built from PORT). */
  redirectUriFromEnvironment?: boolean;
  /** How long an authorization code lives. */
  codeTtlMs: number;
  /** What the metadata endpoint reports for every connection. */
  envId: string;
  partnerAppId: string;
  authorizedBy: string;
  /** Where the Developer Hub keeps its settings, segments, accounts and the TLS files. */
  dataDir: string;
  /** The secret the mock signs webhooks with: the first of WEBHOOK_SECRET, as the server reads it. */
  webhookSecret: string;
  /** The webhook URL registered until the Developer Hub changes it. */
  webhookUrl: string;
}

export type MockHeapConfigResult =
  { ok: true; config: MockHeapConfig } | { ok: false; error: string };

export function parseMockHeapConfig(
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): MockHeapConfigResult {
  const given = (name: string) => env[name]?.trim() || undefined;
  const rawPort = given('MOCK_HEAP_PORT');
  const port = rawPort === undefined ? devDefaults.mockHeapPort : Number(rawPort);
  if (
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535 ||
    (rawPort !== undefined && !/^\d+$/.test(rawPort))
  ) {
    return {
      ok: false,
      error: `MOCK_HEAP_PORT must be a whole number from 0 to 65535 (got "${rawPort}")`,
    };
  }
  const serverPort = given('PORT') ?? String(devDefaults.port);
  return {
    ok: true,
    config: {
      port,
      clientId: given('CLIENT_ID') ?? devDefaults.clientId,
      clientSecret: given('CLIENT_SECRET') ?? devDefaults.clientSecret,
      redirectUri: given('REDIRECT_URI') ?? `http://localhost:${serverPort}/api/oauth_redirect`,
      redirectUriFromEnvironment: given('REDIRECT_URI') !== undefined,
      codeTtlMs: 10 * 60_000,
      envId: given('MOCK_HEAP_ENV_ID') ?? '2544353',
      partnerAppId: '4',
      authorizedBy: given('MOCK_HEAP_AUTHORIZED_BY') ?? 'pam@example.co',
      dataDir: path.resolve(cwd, given('MOCK_HEAP_DATA_DIR') ?? 'data/mock-heap'),
      webhookSecret: env.WEBHOOK_SECRET?.split(',')[0]?.trim() || devDefaults.webhookSecret,
      webhookUrl: `http://127.0.0.1:${serverPort}/webhooks/heap`,
    },
  };
}
