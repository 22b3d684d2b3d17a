// The children of a series with three labels, each made once per combination of label values and
// found again without building a key or a labels object per request.
export class ChildCache<C> {
  readonly #children = new Map<string, Map<string, Map<number, C>>>();
  readonly #make: (first: string, second: string, third: string) => C;

  constructor(make: (first: string, second: string, third: string) => C) {
    this.#make = make;
  }

  get(first: string, second: string, third: number): C {
    let seconds = this.#children.get(first);
    if (seconds === undefined) this.#children.set(first, (seconds = new Map()));
    let thirds = seconds.get(second);
    if (thirds === undefined) seconds.set(second, (thirds = new Map()));
    let child = thirds.get(third);
    if (child === undefined) thirds.set(third, (child = this.#make(first, second, String(third))));
    return child;
  }
}
