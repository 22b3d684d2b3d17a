// Starts this project's reference server as the partner under test: a free loopback port, a fresh
// SQLite file, a generated secret and admin token, the inspection API on.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../server/src/log/createLogger.ts';
import { startServer } from '../../server/src/startServer.ts';
import { SqliteSegmentStore } from '../../server/src/store/sqlite/sqliteSegmentStore.ts';
import { DEFAULT_TOLERANCE } from '../../server/src/webhook/heapHash.ts';

export interface ReferenceTarget {
  url: string;
  drainUrl: string;
  secret: string;
  inspectUrl: string;
  inspectToken: string;
  stop(): Promise<void>;
}

export async function startReferenceTarget(): Promise<ReferenceTarget> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'conformance-reference-'));
  const secret = randomBytes(24).toString('base64url');
  const inspectToken = randomBytes(24).toString('base64url');
  const store = new SqliteSegmentStore({ file: path.join(dir, 'partner.db') });
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    store,
    logger: createLogger('silent'),
    webhookSecrets: [secret],
    tolerance: DEFAULT_TOLERANCE,
    bodyLimitBytes: 64 * 1024 * 1024,
    unknownActions: 'accept',
    adminToken: inspectToken,
  });
  return {
    url: `${server.url}/users_sync`,
    drainUrl: `${server.url}/users_drain`,
    secret,
    inspectUrl: `${server.url}/admin`,
    inspectToken,
    async stop() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
