// Used OAuth states in the store's SQLite file, so single use survives a restart.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { OAuthStateStore } from '../oauthStateStore.ts';

const schema = `
CREATE TABLE IF NOT EXISTS oauth_states (
  state TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

export class SqliteOAuthStateStore implements OAuthStateStore {
  readonly #db: Database.Database;
  readonly #use: Database.Statement;
  readonly #forget: Database.Statement;

  constructor(options: { file: string }) {
    if (options.file !== ':memory:')
      mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    this.#db = new Database(options.file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(schema);
    this.#use = this.#db.prepare(
      'INSERT INTO oauth_states (state, expires_at) VALUES (?, ?) ON CONFLICT (state) DO NOTHING',
    );
    this.#forget = this.#db.prepare('DELETE FROM oauth_states WHERE expires_at < ?');
  }

  async useState(state: string, expiresAt: Date): Promise<boolean> {
    return this.#use.run(state, expiresAt.getTime()).changes === 1;
  }

  async forgetExpiredStates(now: Date): Promise<void> {
    this.#forget.run(now.getTime());
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
