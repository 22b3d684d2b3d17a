// Opens the stores named by DATABASE_URL: `sqlite:<path>` (embedded, the default) or
// `postgres://...` (shared by several instances).
import type { CommitRecorder } from './commitRecorder.ts';
import { openPostgresStores } from './postgres/openPostgresStores.ts';
import { SqliteConnectionStore } from './sqlite/sqliteConnectionStore.ts';
import { SqliteOAuthStateStore } from './sqlite/sqliteOAuthStateStore.ts';
import { SqliteSegmentStore } from './sqlite/sqliteSegmentStore.ts';
import type { Stores } from './stores.ts';

export type { Stores } from './stores.ts';

export type OpenStoreResult = ({ ok: true } & Stores) | { ok: false; error: string };

/**
 * `sqlite:./data/partner.db`, `sqlite:/abs/path.db`, `sqlite::memory:`, or
 * `postgres://user:password@host:5432/database` (migrated to the current schema first).
 */
export async function openStore(
  databaseUrl: string,
  options: {
    synchronous?: 'normal' | 'full';
    busyTimeoutMs?: number;
    /** Told how long each of the segment store's write transactions took. */
    commitRecorder?: CommitRecorder;
  } = {},
): Promise<OpenStoreResult> {
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file === '') return { ok: false, error: 'DATABASE_URL sqlite: needs a file path' };
    try {
      return {
        ok: true,
        segments: new SqliteSegmentStore({
          file,
          synchronous: options.synchronous,
          busyTimeoutMs: options.busyTimeoutMs,
          commitRecorder: options.commitRecorder,
        }),
        connections: new SqliteConnectionStore({ file, busyTimeoutMs: options.busyTimeoutMs }),
        oauthStates: new SqliteOAuthStateStore({ file }),
      };
    } catch (error) {
      return { ok: false, error: `DATABASE_URL: cannot open ${file}: ${(error as Error).message}` };
    }
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return openPostgresStores(databaseUrl, { commitRecorder: options.commitRecorder });
  }
  return { ok: false, error: 'DATABASE_URL must start with sqlite: or postgres://' };
}
