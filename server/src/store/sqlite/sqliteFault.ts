// Turns SQLite's errors into what the server answers: a busy or locked database and a failing one
// become StoreUnavailableError; anything else (a programming error) is passed on unchanged.
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../storeUnavailableError.ts';

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

export function storeFault(error: unknown): unknown {
  if (isBusy(error)) {
    return new StoreUnavailableError(
      'locked',
      'The database is locked by another process; nothing was written. Retry shortly.',
      { cause: error },
    );
  }
  if (
    error instanceof Database.SqliteError ||
    (error as Error)?.message === 'The database connection is not open'
  ) {
    return new StoreUnavailableError(
      'fault',
      'The database failed to write; nothing was written. Retry later.',
      { cause: error },
    );
  }
  return error;
}

/** Runs `work`, rethrowing SQLite faults as StoreUnavailableError. */
export function withStoreFaults<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw storeFault(error);
  }
}
