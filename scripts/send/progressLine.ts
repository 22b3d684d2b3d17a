// A one-line progress display for long runs on a terminal: done/total, rate and ETA.
export class ProgressLine {
  readonly #stream: NodeJS.WriteStream;
  readonly #total: number;
  readonly #started = performance.now();
  #done = 0;
  #lastDraw = 0;

  constructor(stream: NodeJS.WriteStream, total: number) {
    this.#stream = stream;
    this.#total = total;
  }

  /** True when progress should be drawn: a terminal, and more than one delivery. */
  static wanted(stream: NodeJS.WriteStream, total: number, quiet: boolean): boolean {
    return !quiet && stream.isTTY === true && total > 1;
  }

  tick(): void {
    this.#done++;
    const now = performance.now();
    if (now - this.#lastDraw < 100 && this.#done < this.#total) return;
    this.#lastDraw = now;
    const seconds = (now - this.#started) / 1000;
    const rate = seconds > 0 ? this.#done / seconds : 0;
    const eta = rate > 0 ? (this.#total - this.#done) / rate : 0;
    this.#stream.write(
      `\r${this.#done}/${this.#total} pages  ${rate.toFixed(0)} pages/s  ETA ${eta.toFixed(0)} s   `,
    );
  }

  finish(): void {
    this.#stream.write('\n');
  }
}
