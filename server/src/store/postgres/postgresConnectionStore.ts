// Connected accounts in PostgreSQL. Another instance may connect an account at any time, so a
// miss in this instance's memory is asked of the database; only known connections are remembered.
// Misses of one account that overlap share a query, one begun after each of them.
import type { Pool } from 'pg';
import type { ConnectionStore, ConnectionSummary, NewConnection } from '../connectionStore.ts';
import { decodeExactText, encodeExactText } from '../exactText.ts';
import { SharedLookups } from './sharedLookups.ts';
import { retryingConflicts } from './transaction.ts';

export class PostgresConnectionStore implements ConnectionStore {
  readonly #pool: Pool;
  readonly #release: () => Promise<void>;
  readonly #known = new Set<string>();
  readonly #lookups = new SharedLookups((idToken) => this.#connectedInDatabase(idToken));

  constructor(pool: Pool, release: () => Promise<void>) {
    this.#pool = pool;
    this.#release = release;
  }

  /** Whether this store reads its connections through `pool` (so from that pool's database). */
  readsThrough(pool: Pool): boolean {
    return pool === this.#pool;
  }

  async saveConnection(connection: NewConnection): Promise<void> {
    await this.#pool.query(
      `INSERT INTO connections (id_token, env_id, authorized_by, authorized_at, sealed_access_token, connected_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id_token) DO UPDATE SET env_id = excluded.env_id, authorized_by = excluded.authorized_by,
         authorized_at = excluded.authorized_at, sealed_access_token = excluded.sealed_access_token,
         connected_at = excluded.connected_at`,
      [
        encodeExactText(connection.idToken),
        connection.envId,
        connection.authorizedBy,
        connection.authorizedAt,
        connection.sealedAccessToken,
        connection.connectedAt,
      ],
    );
    this.#known.add(connection.idToken);
  }

  async isConnected(idToken: string): Promise<boolean> {
    if (this.#known.has(idToken)) return true;
    return this.#lookups.lookup(idToken);
  }

  async #connectedInDatabase(idToken: string): Promise<boolean> {
    // A database that is down or gone is a 503, as for the write that would follow.
    const { rowCount } = await retryingConflicts(() =>
      this.#pool.query('SELECT 1 FROM connections WHERE id_token = $1', [encodeExactText(idToken)]),
    );
    if (rowCount === 0) return false;
    this.#known.add(idToken);
    return true;
  }

  async listConnections(): Promise<ConnectionSummary[]> {
    const { rows } = await this.#pool.query<{
      id_token: Buffer;
      env_id: string;
      authorized_by: string;
      authorized_at: string;
      connected_at: Date;
    }>(
      `SELECT id_token, env_id, authorized_by, authorized_at, connected_at FROM connections
       ORDER BY connected_at`,
    );
    return rows.map((row) => ({
      ...row,
      id_token: decodeExactText(row.id_token),
      connected_at: row.connected_at.toISOString(),
    }));
  }

  close(): Promise<void> {
    return this.#release();
  }
}
