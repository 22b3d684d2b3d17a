// Starts the reference server as a partner to talk to, on a free loopback port with its own SQLite
// file in a temporary folder, a generated webhook secret and admin token, and the inspection API on.
// The conformance suite runs against it when given no --url; the sender's tests deliver into it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TOLERANCE } from '../../spec/src/index.ts';
import { createLogger } from './log/createLogger.ts';
import { ServerMetrics } from './metrics/serverMetrics.ts';
import { startServer } from './startServer.ts';
import { SqliteConnectionStore } from './store/sqlite/sqliteConnectionStore.ts';
import { SqliteSegmentStore } from './store/sqlite/sqliteSegmentStore.ts';

export interface ReferenceServerOptions {
  /** The webhook secret to verify with (default: a random one). */
  secret?: string;
  /** The inspection API's bearer token (default: a random one). */
  adminToken?: string;
  /** Largest accepted body (default 64 MB, so large-page runs are not refused). */
  bodyLimitBytes?: number;
  /**
   * Accounts to hold as connected, and what to do with a delivery for any other id_token (the
   * connect flow's UNKNOWN_ACCOUNTS). Without it no account is checked, as without the connect flow.
   */
  accounts?: { connected: readonly string[]; unknown: 'accept' | 'reject' };
  /** An action type the contract does not know (UNKNOWN_ACTIONS; default `accept`). */
  unknownActions?: 'accept' | 'reject';
}

export interface ReferenceServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  secret: string;
  adminToken: string;
  /** Stops the server and removes its database. */
  stop(): Promise<void>;
}

export async function startReferenceServer(
  options: ReferenceServerOptions = {},
): Promise<ReferenceServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'reference-server-'));
  // Hex, so that a credential never starts with "-" and can follow its flag as written.
  const secret = options.secret ?? randomBytes(24).toString('hex');
  const adminToken = options.adminToken ?? randomBytes(24).toString('hex');
  const metrics = new ServerMetrics();
  const store = new SqliteSegmentStore({
    file: path.join(dir, 'partner.db'),
    commitRecorder: metrics.storeCommits,
  });
  const accounts = options.accounts && {
    connections: await seededConnections(path.join(dir, 'partner.db'), options.accounts.connected),
    unknown: options.accounts.unknown,
  };
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    store,
    logger: createLogger('silent'),
    webhookSecrets: [secret],
    tolerance: DEFAULT_TOLERANCE,
    bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024 * 1024,
    unknownActions: options.unknownActions ?? 'accept',
    accounts,
    adminToken,
    metrics,
  });
  return {
    url: server.url,
    secret,
    adminToken,
    async stop() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Connections as if each account had been connected, with no access token (none is ever used). */
async function seededConnections(
  file: string,
  idTokens: readonly string[],
): Promise<SqliteConnectionStore> {
  const connections = new SqliteConnectionStore({ file });
  const at = new Date();
  for (const idToken of idTokens) {
    await connections.saveConnection({
      idToken,
      envId: 'reference',
      authorizedBy: 'reference',
      authorizedAt: at.toISOString(),
      sealedAccessToken: '',
      connectedAt: at,
    });
  }
  return connections;
}
