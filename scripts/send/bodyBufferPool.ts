// Buffers for page bodies, reused once a body's bytes are no longer needed: writing a page into
// memory already mapped and cached is cheaper than into a new allocation, and leaves no garbage.
// It holds no more buffers than were ever lent at once (the pages in flight, and one built ahead),
// and at most MAX_SPARES of them.

/** Spare room given to a new buffer, so that the slightly larger pages of a sync still fit. */
const SLACK = 1.125;
/** A spare more than this many times the size asked for is left for larger pages. */
const MAX_WASTE = 2;
/** Spares beyond this many are left to the GC. */
const MAX_SPARES = 256;

export class BodyBufferPool {
  readonly #free: Buffer[] = [];
  /** The whole buffer behind each body handed out and not yet given back. */
  readonly #lent = new WeakMap<Buffer, Buffer>();

  /** A buffer of exactly `size` bytes, of unspecified content, owned by no one else. */
  take(size: number): Buffer {
    // The smallest spare that fits, so that pages of different sizes keep their own.
    let best = -1;
    for (let index = 0; index < this.#free.length; index++) {
      const length = this.#free[index]!.length;
      if (length >= size && length <= size * MAX_WASTE) {
        if (best < 0 || length < this.#free[best]!.length) best = index;
      }
    }
    if (best >= 0) {
      const spare = this.#free[best]!;
      this.#free[best] = this.#free[this.#free.length - 1]!;
      this.#free.pop();
      return this.#lend(spare, size);
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
    if (this.#free.length < MAX_SPARES) this.#free.push(whole);
  }
}
