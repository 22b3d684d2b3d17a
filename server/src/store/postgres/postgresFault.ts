// Turns PostgreSQL's connection and server faults into StoreUnavailableError (503 with
// Retry-After: Heap retries); a query error of the server's own making is passed on unchanged.
import { StoreUnavailableError } from '../storeUnavailableError.ts';

/** SQLSTATE classes of a database that is down, gone, refusing us, out of resources or stopping. */
const UNAVAILABLE_CLASSES = ['08', '28', '3D', '53', '57', '58'];
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

export function postgresFault(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  const message = (error as Error)?.message ?? '';
  const unavailable =
    (typeof code === 'string' &&
      (NETWORK_CODES.has(code) || UNAVAILABLE_CLASSES.includes(code.slice(0, 2)))) ||
    /timeout exceeded when trying to connect|Connection terminated/i.test(message);
  if (!unavailable) return error;
  return new StoreUnavailableError(
    'fault',
    'The database is unreachable or failing; nothing was written. Retry later.',
    { cause: error },
  );
}
