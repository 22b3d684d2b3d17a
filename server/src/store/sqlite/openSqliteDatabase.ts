// Opens the embedded store's SQLite file at start: creates its folder, sets WAL, the durability and
// lock-wait settings and a 64 MB page cache, refuses a file written by a newer server, and creates
// the schema.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { schemaSql, SCHEMA_VERSION } from './schema.ts';

export interface SqliteOpenOptions {
  /** Path of the database file; its folder is created. `:memory:` for a throwaway store. */
  file: string;
  /** `normal` survives a process crash; `full` also a power loss, at the cost of an fsync per delivery. */
  synchronous?: 'normal' | 'full';
  /** How long a write may wait for a lock held by another process, in ms. */
  busyTimeoutMs: number;
}

export function openSqliteDatabase(options: SqliteOpenOptions): Database.Database {
  if (options.file !== ':memory:')
    mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
  db.pragma('cache_size = -65536');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(
      `${options.file} has schema version ${version}; this server knows up to ${SCHEMA_VERSION}`,
    );
  }
  db.exec(schemaSql);
  return db;
}
