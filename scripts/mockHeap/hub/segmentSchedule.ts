// Scheduled syncs: each segment with a schedule is synced every so many minutes, as Heap syncs
// about every 4 hours, while the mock runs.
import type { HubState, TestSegment } from './hubState.ts';

export class SegmentSchedule {
  readonly #timers = new Map<number, NodeJS.Timeout>();
  readonly #state: HubState;
  readonly #sync: (segment: TestSegment) => void;
  readonly #minuteMs: number;

  /** `minuteMs` is how long a scheduled minute lasts (shorter in tests). */
  constructor(state: HubState, sync: (segment: TestSegment) => void, minuteMs = 60_000) {
    this.#state = state;
    this.#sync = sync;
    this.#minuteMs = minuteMs;
  }

  /** Starts a timer for every scheduled segment that has none yet. */
  refresh(): void {
    for (const segment of this.#state.data.segments) {
      if (segment.scheduleMinutes === null || this.#timers.has(segment.id)) continue;
      const timer = setInterval(
        () => this.#sync(segment),
        segment.scheduleMinutes * this.#minuteMs,
      );
      timer.unref();
      this.#timers.set(segment.id, timer);
    }
  }

  stop(): void {
    for (const timer of this.#timers.values()) clearInterval(timer);
    this.#timers.clear();
  }
}
