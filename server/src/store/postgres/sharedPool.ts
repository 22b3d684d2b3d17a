// One connection pool shared by the stores of one server; it is ended when the last store closes.
import pg from 'pg';

export class SharedPool {
  readonly pool: pg.Pool;
  #users = 0;
  #ended: Promise<void> | null = null;

  constructor(connectionString: string, options: { max?: number } = {}) {
    // A bounded wait for a connection: an unreachable database fails a start or a delivery (which
    // Heap retries) instead of hanging it.
    this.pool = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: 10_000,
    });
    // An idle client whose connection drops (a database restart) emits this; the pool replaces it,
    // and the next query reports the problem to its caller. Without a listener it would crash.
    this.pool.on('error', () => {});
  }

  /** Registers a user; the returned function releases it, and the last release ends the pool. */
  acquire(): () => Promise<void> {
    this.#users++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      if (--this.#users === 0) this.#ended ??= this.pool.end();
      await this.#ended;
    };
  }
}
