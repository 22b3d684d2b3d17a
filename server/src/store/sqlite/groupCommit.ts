// Group commit: the units of work that arrive while the event loop is busy are applied in one
// SQLite transaction, each inside its own savepoint. One commit then serves many concurrent
// deliveries, and a unit that throws is rolled back alone. Callers are answered after the commit.
// SQLite waits for a lock synchronously, blocking the event loop: when another process holds the
// write lock, the batch and everything queued behind it fail at once, and until a commit succeeds
// again the next attempts do not wait at all.
import type Database from 'better-sqlite3';
import { timedSyncCommit, type CommitRecorder } from '../commitRecorder.ts';
import { isBusy } from './sqliteFault.ts';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  readonly #queue: Pending[] = [];
  readonly #db: Database.Database;
  readonly #commitBatch: Database.Transaction<(batch: Pending[]) => Settled[]>;
  readonly #maxBatch: number;
  readonly #busyTimeoutMs: number;
  readonly #commitRecorder: CommitRecorder | undefined;
  readonly #onCommitted: (() => void) | undefined;
  #scheduled = false;
  #failingFast = false;

  constructor(
    db: Database.Database,
    options: {
      maxBatch?: number;
      /** The connection's busy_timeout. */ busyTimeoutMs?: number;
      /** Told how long each group transaction that committed took. */
      commitRecorder?: CommitRecorder;
      /** Told after each group transaction that committed. */
      onCommitted?: () => void;
    } = {},
  ) {
    this.#db = db;
    this.#maxBatch = options.maxBatch ?? 64;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 200;
    this.#commitRecorder = options.commitRecorder;
    this.#onCommitted = options.onCommitted;
    // better-sqlite3 runs a transaction function called inside another as a savepoint.
    const unit = db.transaction((work: () => unknown) => work());
    this.#commitBatch = db.transaction((batch: Pending[]) =>
      batch.map((pending): Settled => {
        try {
          return { ok: true, value: unit(pending.work) };
        } catch (error) {
          // A lock lost mid-batch fails the whole batch rather than wait again for every unit.
          if (isBusy(error)) throw error;
          return { ok: false, error };
        }
      }),
    );
  }

  /** Runs `work` inside the next group transaction; resolves once that transaction committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      let settled: Settled[];
      try {
        // IMMEDIATE takes the write lock first: one wait for it per batch, not one per statement.
        settled = timedSyncCommit(this.#commitRecorder, () => this.#commitBatch.immediate(batch));
        if (this.#failingFast) this.#setFailFast(false);
        this.#onCommitted?.();
      } catch (error) {
        if (isBusy(error)) {
          this.#setFailFast(true);
          for (const pending of batch.concat(this.#queue.splice(0))) pending.reject(error);
          return;
        }
        for (const pending of batch) pending.reject(error);
        continue;
      }
      settled.forEach((outcome, index) => {
        const pending = batch[index]!;
        if (outcome.ok) pending.resolve(outcome.value);
        else pending.reject(outcome.error);
      });
    }
  }

  #setFailFast(on: boolean): void {
    this.#failingFast = on;
    this.#db.pragma(`busy_timeout = ${on ? 0 : this.#busyTimeoutMs}`);
  }
}
