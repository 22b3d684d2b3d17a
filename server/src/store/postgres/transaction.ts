// Runs a unit of work in one PostgreSQL transaction on a pooled client, retried from the start when
// PostgreSQL aborts it to resolve a deadlock or a serialisation conflict between instances.
import type { Pool, PoolClient } from 'pg';
import { postgresFault } from './postgresFault.ts';

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

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
      const code = (error as { code?: string }).code;
      if (attempt >= MAX_ATTEMPTS || code === undefined || !RETRYABLE.has(code)) {
        throw postgresFault(error);
      }
    } finally {
      client.release(broken);
    }
  }
}
