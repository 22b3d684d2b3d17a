// Connected accounts in the same SQLite file as the segments (its own connection to it). Another
// process may share the file, so a miss in memory is asked of the file; known connections are kept.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { withStoreFaults } from './sqliteFault.ts';
import type { ConnectionStore, ConnectionSummary, NewConnection } from '../connectionStore.ts';

const schema = `
CREATE TABLE IF NOT EXISTS connections (
  id_token TEXT PRIMARY KEY,
  env_id TEXT NOT NULL,
  authorized_by TEXT NOT NULL,
  authorized_at TEXT NOT NULL,
  sealed_access_token TEXT NOT NULL,
  connected_at TEXT NOT NULL
) WITHOUT ROWID;
`;

export class SqliteConnectionStore implements ConnectionStore {
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #save: Database.Statement;
  readonly #list: Database.Statement;
  readonly #find: Database.Statement;
  /** Connected id_tokens seen so far: a connection is never removed, so a hit needs no query. */
  readonly #connected: Set<string>;

  constructor(options: { file: string; /** See SqliteStoreOptions. */ busyTimeoutMs?: number }) {
    if (options.file !== ':memory:')
      mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    this.#file = options.file;
    this.#db = new Database(options.file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 200}`);
    this.#db.exec(schema);
    this.#save = this.#db.prepare(
      `INSERT INTO connections (id_token, env_id, authorized_by, authorized_at, sealed_access_token, connected_at)
       VALUES (@idToken, @envId, @authorizedBy, @authorizedAt, @sealedAccessToken, @connectedAt)
       ON CONFLICT (id_token) DO UPDATE SET env_id = excluded.env_id, authorized_by = excluded.authorized_by,
         authorized_at = excluded.authorized_at, sealed_access_token = excluded.sealed_access_token,
         connected_at = excluded.connected_at`,
    );
    this.#list = this.#db.prepare(
      'SELECT id_token, env_id, authorized_by, authorized_at, connected_at FROM connections ORDER BY connected_at',
    );
    this.#find = this.#db.prepare('SELECT 1 FROM connections WHERE id_token = ?').pluck();
    this.#connected = new Set(
      this.#db.prepare('SELECT id_token FROM connections').pluck().all() as string[],
    );
  }

  /** Whether this store's connections are in `file` (never so for `:memory:`, one per handle). */
  readsFile(file: string): boolean {
    return file !== ':memory:' && path.resolve(file) === path.resolve(this.#file);
  }

  async saveConnection(connection: NewConnection): Promise<void> {
    withStoreFaults(() =>
      this.#save.run({ ...connection, connectedAt: connection.connectedAt.toISOString() }),
    );
    this.#connected.add(connection.idToken);
  }

  /** Answered from memory when known: it is asked for every delivery. */
  async isConnected(idToken: string): Promise<boolean> {
    if (this.#connected.has(idToken)) return true;
    if (this.#find.get(idToken) === undefined) return false;
    this.#connected.add(idToken);
    return true;
  }

  async listConnections(): Promise<ConnectionSummary[]> {
    return withStoreFaults(() => this.#list.all() as ConnectionSummary[]);
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
