// Runs a unit of work in one PostgreSQL transaction on a pooled client, retried from the start when
// PostgreSQL aborts it to resolve a deadlock or a serialisation conflict between instances; a
// database that is down or gone becomes StoreUnavailableError (503).
import type { Pool, PoolClient } from 'pg';
import { postgresFault } from './postgresFault.ts';

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

const retryable = (error: unknown) => RETRYABLE.has((error as { code?: string }).code ?? '');

/** Runs one statement (its own transaction), again when PostgreSQL aborted it for a conflict. */
export async function retryingConflicts<T>(statement: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !retryable(error)) throw postgresFault(error);
    }
  }
}

export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect().catch((error: unknown) => {
      throw postgresFault(error);
    });
    let broken = false;
    try {
      await client.query('BEGIN');
      const value = await work(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        // The connection itself failed: do not hand it back to the pool.
        broken = true;
      }
      if (attempt >= MAX_ATTEMPTS || !retryable(error)) throw postgresFault(error);
    } finally {
      client.release(broken);
    }
  }
}
