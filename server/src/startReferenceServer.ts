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
import { SqliteSegmentStore } from './store/sqlite/sqliteSegmentStore.ts';

export interface ReferenceServerOptions {
  /** The webhook secret to verify with (default: a random one). */
  secret?: string;
  /** The inspection API's bearer token (default: a random one). */
  adminToken?: string;
  /** Largest accepted body (default 64 MB, so large-page runs are not refused). */
  bodyLimitBytes?: number;
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
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
  const metrics = new ServerMetrics();
  const store = new SqliteSegmentStore({
    file: path.join(dir, 'partner.db'),
    commitRecorder: metrics.storeCommits,
  });
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    store,
    logger: createLogger('silent'),
    webhookSecrets: [secret],
    tolerance: DEFAULT_TOLERANCE,
    bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024 * 1024,
    unknownActions: 'accept',
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
