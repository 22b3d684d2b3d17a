// Opens the PostgreSQL stores of one server on one shared pool, after applying any migrations the
// database lacks.
import type { CommitRecorder } from '../commitRecorder.ts';
import type { Stores } from '../stores.ts';
import { migrate } from './migrate.ts';
import { PostgresConnectionStore } from './postgresConnectionStore.ts';
import { PostgresOAuthStateStore } from './postgresOAuthStateStore.ts';
import { PostgresSegmentStore } from './postgresSegmentStore.ts';
import { SharedPool } from './sharedPool.ts';

export type OpenPostgresResult = ({ ok: true } & Stores) | { ok: false; error: string };

/** Never prints the URL: it may carry a password. */
export async function openPostgresStores(
  databaseUrl: string,
  options: { poolSize?: number; commitRecorder?: CommitRecorder } = {},
): Promise<OpenPostgresResult> {
  const shared = new SharedPool(databaseUrl, { max: options.poolSize });
  const release = shared.acquire();
  try {
    const migrated = await migrate(shared.pool);
    if (!migrated.ok) {
      await release();
      return { ok: false, error: `DATABASE_URL: ${migrated.error}` };
    }
  } catch (error) {
    await release();
    return {
      ok: false,
      error: `DATABASE_URL: cannot open the PostgreSQL database: ${(error as Error).message}`,
    };
  }
  const stores: Stores = {
    segments: new PostgresSegmentStore(shared.pool, shared.acquire(), options.commitRecorder),
    connections: new PostgresConnectionStore(shared.pool, shared.acquire()),
    oauthStates: new PostgresOAuthStateStore(shared.pool, shared.acquire()),
  };
  await release();
  return { ok: true, ...stores };
}
