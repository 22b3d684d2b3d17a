// A process-wide budget of request-body bytes held in memory at once, so a flood of large uploads
// cannot grow the heap without bound: a read that would exceed it is refused (503), not queued.
export class InflightBodyBudget {
  readonly maxBytes: number;
  #inUse = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Bytes currently held by bodies being read or handled. */
  get inUse(): number {
    return this.#inUse;
  }

  /** Takes `bytes` from the budget; false (and nothing taken) when that would exceed it. */
  tryTake(bytes: number): boolean {
    if (this.#inUse + bytes > this.maxBytes) return false;
    this.#inUse += bytes;
    return true;
  }

  give(bytes: number): void {
    this.#inUse = Math.max(0, this.#inUse - bytes);
  }
}
