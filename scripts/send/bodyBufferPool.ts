// Buffers for page bodies, reused once a body's bytes are no longer needed: writing a page into
// memory already mapped and cached is cheaper than into a new allocation, and leaves no garbage.
// It holds no more buffers than were ever lent at once (the pages in flight, and one built ahead).

/** Spare room given to a new buffer, so that the slightly larger pages of a sync still fit. */
const SLACK = 1.125;

export class BodyBufferPool {
  readonly #free: Buffer[] = [];
  /** The whole buffer behind each body handed out and not yet given back. */
  readonly #lent = new WeakMap<Buffer, Buffer>();

  /** A buffer of exactly `size` bytes, of unspecified content, owned by no one else. */
  take(size: number): Buffer {
    for (let index = 0; index < this.#free.length; index++) {
      const spare = this.#free[index]!;
      if (spare.length >= size) {
        this.#free[index] = this.#free[this.#free.length - 1]!;
        this.#free.pop();
        return this.#lend(spare, size);
      }
    }
    // Its own memory (never a slice of Node's shared pool), so that reusing it overwrites no one's.
    return this.#lend(Buffer.allocUnsafeSlow(Math.ceil(size * SLACK)), size);
  }

  #lend(whole: Buffer, size: number): Buffer {
    const body = whole.subarray(0, size);
    this.#lent.set(body, whole);
    return body;
  }

  /**
   * Gives back a body taken from this pool, to be overwritten by a later `take`: only once nothing
   * will read it again (not in flight, not kept for a retry). A body given back twice, or not
   * taken from this pool, is ignored.
   */
  give(body: Buffer): void {
    const whole = this.#lent.get(body);
    if (!whole) return;
    this.#lent.delete(body);
    this.#free.push(whole);
  }
}
