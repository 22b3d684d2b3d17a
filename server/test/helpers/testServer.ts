// Starts the reference server in-process on a free loopback port with a real SQLite file in a
// temporary folder, and removes both afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log/createLogger.ts';
import { SqliteConnectionStore } from '../../src/store/sqlite/sqliteConnectionStore.ts';
import { SqliteSegmentStore } from '../../src/store/sqlite/sqliteSegmentStore.ts';
import type { OAuthConfig } from '../../src/config/serverConfig.ts';
import { heapPartnerClient } from '../../src/oauth/heapPartnerClient.ts';
import { ServerMetrics } from '../../src/metrics/serverMetrics.ts';
import { startServer, type StartServerOptions } from '../../src/startServer.ts';
import { DEFAULT_TOLERANCE } from '../../../spec/src/index.ts';

export const TEST_SECRET = 'test-webhook-secret-0123456789';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestServer {
  url: string;
  store: SqliteSegmentStore;
  /** The connections store, when the server was started with OAuth. */
  connections: SqliteConnectionStore | null;
  dbFile: string;
  /** Every log line the server wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

export async function startTestServer(
  overrides: Partial<StartServerOptions> = {},
  withOAuth?: { config: OAuthConfig; unknownAccounts?: 'accept' | 'reject' },
): Promise<TestServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'partner-server-'));
  const dbFile = path.join(dir, 'partner.db');
  // As the server's main does: metrics only with an admin token.
  const adminToken = overrides.adminToken === undefined ? TEST_ADMIN_TOKEN : overrides.adminToken;
  const metrics = adminToken === null ? undefined : new ServerMetrics();
  const store = new SqliteSegmentStore({ file: dbFile, commitRecorder: metrics?.storeCommits });
  const connections = withOAuth ? new SqliteConnectionStore({ file: dbFile }) : null;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const running = await startServer({
    host: '127.0.0.1',
    port: 0,
    store,
    logger: createLogger('info', sink),
    webhookSecrets: [TEST_SECRET],
    tolerance: DEFAULT_TOLERANCE,
    bodyLimitBytes: 16 * 1024 * 1024,
    unknownActions: 'accept',
    adminToken: TEST_ADMIN_TOKEN,
    metrics,
    oauth:
      withOAuth && connections
        ? {
            config: withOAuth.config,
            connections,
            heap: heapPartnerClient(withOAuth.config.heapBaseUrl, fetch, {
              timeoutMs: withOAuth.config.heapTimeoutMs,
            }),
            unknownAccounts: withOAuth.unknownAccounts ?? 'accept',
          }
        : undefined,
    ...overrides,
  });
  return {
    url: running.url,
    store,
    connections,
    dbFile,
    logs,
    async close() {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
