// Opens the stores named by DATABASE_URL: `sqlite:<path>` today.
import type { ConnectionStore } from './connectionStore.ts';
import type { SegmentStore } from './segmentStore.ts';
import { SqliteConnectionStore } from './sqlite/sqliteConnectionStore.ts';
import { SqliteSegmentStore } from './sqlite/sqliteSegmentStore.ts';

export interface Stores {
  segments: SegmentStore;
  connections: ConnectionStore;
}

export type OpenStoreResult = ({ ok: true } & Stores) | { ok: false; error: string };

/** `sqlite:./data/partner.db`, `sqlite:/abs/path.db`, `sqlite::memory:`. */
export function openStore(
  databaseUrl: string,
  options: { synchronous?: 'normal' | 'full'; busyTimeoutMs?: number } = {},
): OpenStoreResult {
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
        }),
        connections: new SqliteConnectionStore({ file, busyTimeoutMs: options.busyTimeoutMs }),
      };
    } catch (error) {
      return { ok: false, error: `DATABASE_URL: cannot open ${file}: ${(error as Error).message}` };
    }
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return {
      ok: false,
      error: 'DATABASE_URL: a PostgreSQL store is not available yet; use sqlite:<path>',
    };
  }
  return { ok: false, error: 'DATABASE_URL must start with sqlite:' };
}
