// The Developer Hub's delivery log: one entry per delivery (a page or a drain) with its outcome,
// newest first, kept in memory for the page to poll.
export interface DeliveryLogEntry {
  /** Increasing; the page asks for entries after the last one it has. */
  seq: number;
  /** ISO 8601, when the delivery settled. */
  time: string;
  action: 'sample' | 'sync' | 'drain';
  /** `Name (id)`. */
  segment: string;
  /** `page 2/5` or `drain`. */
  page: string;
  /** The last answer's HTTP status, or the network error (`timeout`, `connection_refused`, ...). */
  status: string;
  delivered: boolean;
  /** `delivered` or `given up`, so the outcome reads as text. */
  result: 'delivered' | 'given up';
  attempts: number;
  /** The last attempt's latency. */
  latencyMs: number;
  /** The start of the last answer's body. */
  excerpt: string;
}

export class DeliveryLog {
  readonly #entries: DeliveryLogEntry[] = [];
  readonly #limit: number;
  #seq = 0;

  constructor(limit = 500) {
    this.#limit = limit;
  }

  add(entry: Omit<DeliveryLogEntry, 'seq' | 'result'>): DeliveryLogEntry {
    const added: DeliveryLogEntry = {
      seq: ++this.#seq,
      ...entry,
      result: entry.delivered ? 'delivered' : 'given up',
    };
    this.#entries.unshift(added);
    if (this.#entries.length > this.#limit) this.#entries.length = this.#limit;
    return added;
  }

  /** Newest first. */
  entries(): readonly DeliveryLogEntry[] {
    return this.#entries;
  }
}
