// The embedded store's answer to /healthcheck: it tries to take the write lock without waiting, and
// lets it go at once, so a database locked by another process shows as `locked`.
import type Database from 'better-sqlite3';
import type { StoreHealth } from '../storeHealth.ts';
import { isBusy } from './sqliteFault.ts';

export function sqliteHealth(db: Database.Database): StoreHealth {
  if (!db.open) return { database: 'unavailable' };
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  try {
    db.pragma('busy_timeout = 0');
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return { database: 'ok' };
  } catch (error) {
    return { database: isBusy(error) ? 'locked' : 'unavailable' };
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}
