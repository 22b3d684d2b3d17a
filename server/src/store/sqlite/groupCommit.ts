// Group commit: the units of work that arrive while the event loop is busy are applied in one
// SQLite transaction, each inside its own savepoint. One commit then serves many concurrent
// deliveries, and a unit that throws is rolled back alone. Callers are answered after the commit.
import type Database from 'better-sqlite3';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  readonly #queue: Pending[] = [];
  readonly #commitBatch: (batch: Pending[]) => Settled[];
  readonly #maxBatch: number;
  #scheduled = false;
  #committed = 0;

  /** How many group transactions have committed so far. */
  get transactionsCommitted(): number {
    return this.#committed;
  }

  constructor(db: Database.Database, options: { maxBatch?: number } = {}) {
    this.#maxBatch = options.maxBatch ?? 64;
    // better-sqlite3 runs a transaction function called inside another as a savepoint.
    const unit = db.transaction((work: () => unknown) => work());
    this.#commitBatch = db.transaction((batch: Pending[]) =>
      batch.map((pending): Settled => {
        try {
          return { ok: true, value: unit(pending.work) };
        } catch (error) {
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
        settled = this.#commitBatch(batch);
        this.#committed++;
      } catch (error) {
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
}
