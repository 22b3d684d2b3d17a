// Lookups of one key that overlap share one query. A lookup never takes the answer of a query
// that began before it did (that query may have read the database before a change the caller
// already knows of): one that arrives while a query for its key runs waits for the next query,
// which every lookup arriving meanwhile shares. So at most one query per key is running, and one
// waiting, however many lookups are in flight.

export class SharedLookups<T> {
  readonly #query: (key: string) => Promise<T>;
  readonly #running = new Map<string, Promise<T>>();
  readonly #waiting = new Map<string, Promise<T>>();

  constructor(query: (key: string) => Promise<T>) {
    this.#query = query;
  }

  lookup(key: string): Promise<T> {
    const waiting = this.#waiting.get(key);
    if (waiting) return waiting;
    const running = this.#running.get(key);
    if (!running) return this.#start(key);
    const next = running.then(
      () => this.#start(key),
      () => this.#start(key),
    );
    this.#waiting.set(key, next);
    return next;
  }

  #start(key: string): Promise<T> {
    this.#waiting.delete(key);
    const query = this.#query(key);
    this.#running.set(key, query);
    const settled = () => {
      if (this.#running.get(key) === query) this.#running.delete(key);
    };
    query.then(settled, settled);
    return query;
  }
}
