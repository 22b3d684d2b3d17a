// The store suite against the SQLite store: a fresh database file in a temporary folder per test.
import test from 'ava';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Stores } from '../../src/store/openStore.ts';
import { decodeExactText } from '../../src/store/exactText.ts';
import { registerStoreSuite } from './storeSuite.ts';

registerStoreSuite(test, 'sqlite', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sqlite-store-'));
  const file = path.join(dir, 'nested', 'partner.db');
  const opened: Stores[] = [];
  const reopen = async (): Promise<Stores> => {
    const result = await openStore(`sqlite:${file}`);
    if (!result.ok) throw new Error(result.error);
    opened.push(result);
    return result;
  };
  t.teardown(async () => {
    for (const stores of opened) {
      await stores.segments.close();
      await stores.connections.close();
      await stores.oauthStates.close();
    }
    await rm(dir, { recursive: true, force: true });
  });
  const stores = await reopen();
  return {
    stores,
    reopen,
    async ignoredDeliveries() {
      const db = new Database(file, { readonly: true });
      try {
        const rows = db
          .prepare(
            `SELECT CAST(id_token AS BLOB) AS id_token, CAST(action_type AS BLOB) AS action_type
             FROM ignored_deliveries ORDER BY id`,
          )
          .all() as { id_token: Buffer | null; action_type: Buffer }[];
        return rows.map((row) => ({
          id_token: row.id_token === null ? null : decodeExactText(row.id_token),
          action_type: decodeExactText(row.action_type),
        }));
      } finally {
        db.close();
      }
    },
  };
});
