// Used OAuth states in PostgreSQL: single use holds across restarts and across instances.
import type { Pool } from 'pg';
import type { OAuthStateStore } from '../oauthStateStore.ts';

export class PostgresOAuthStateStore implements OAuthStateStore {
  readonly #pool: Pool;
  readonly #release: () => Promise<void>;

  constructor(pool: Pool, release: () => Promise<void>) {
    this.#pool = pool;
    this.#release = release;
  }

  async useState(state: string, expiresAt: Date): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      'INSERT INTO oauth_states (state, expires_at) VALUES ($1, $2) ON CONFLICT (state) DO NOTHING',
      [state, expiresAt],
    );
    return rowCount === 1;
  }

  async forgetExpiredStates(now: Date): Promise<void> {
    await this.#pool.query('DELETE FROM oauth_states WHERE expires_at < $1', [now]);
  }

  close(): Promise<void> {
    return this.#release();
  }
}
