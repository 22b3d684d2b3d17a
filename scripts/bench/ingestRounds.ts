// Alternating rounds of the ingest benchmarks: each round sends a fresh sync (a segment of its own)
// to every target in turn and records its pages/s, answers, latencies and the CPU time its
// processes used per page acknowledged. Medians of the rounds are what is reported, so that a
// burst of other work on the machine does not decide a ratio.
import { runLoad } from './loadLoop.ts';
import { processCpuMicros } from './processCpu.ts';
import { signedSyncPages } from './signedSyncPages.ts';

export interface PageSize {
  name: 'small' | 'large';
  usersPerPage: number;
  /** Pages of one round's sync. */
  pages: number;
  /** Pages in flight, per instance. */
  inFlight: number;
}

/** The page sizes of --quick, for either store: enough to see that every receiver works. */
export const QUICK_PAGE_SIZES: readonly PageSize[] = [
  { name: 'small', usersPerPage: 100, pages: 40, inFlight: 8 },
  { name: 'large', usersPerPage: 10_000, pages: 2, inFlight: 2 },
];

export interface IngestTarget {
  /** Each instance's base URL: a sync's pages are split round-robin over them. */
  urls: string[];
  /** The processes whose CPU time a round is charged. */
  pids: number[];
  /** Pages in flight per instance, when not the page size's. */
  inFlight?: number;
}

export interface Round {
  segmentId: number;
  pagesPerSecond: number;
  /** CPU time of the target's processes per page answered 200; null without /proc. */
  cpuMicrosPerPage: number | null;
  /** Pages answered 200. */
  acknowledged: number;
  statuses: Record<string, number>;
  latencies: number[];
}

function cpuMicros(pids: readonly number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    const micros = processCpuMicros(pid);
    if (micros === null) return null;
    total += micros;
  }
  return total;
}

/** Sends one sync of `pages` pages for `segmentId` to the target and measures it. */
export async function runRound(
  target: IngestTarget,
  size: PageSize,
  segmentId: number,
  pages = size.pages,
): Promise<Round> {
  const all = Array.from({ length: pages }, (_, page) => page);
  const loads = target.urls.map((url, index) =>
    signedSyncPages({
      url: `${url}/users_sync`,
      segmentId,
      pageIndexes: all.filter((page) => page % target.urls.length === index),
      totalPages: pages,
      usersPerPage: size.usersPerPage,
    }),
  );
  const inFlight = target.inFlight ?? size.inFlight;
  const cpuBefore = cpuMicros(target.pids);
  const started = performance.now();
  const results = await Promise.all(loads.map((load) => runLoad(load, inFlight)));
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpuMicros(target.pids);
  const statuses: Record<string, number> = {};
  for (const result of results) {
    for (const [status, count] of Object.entries(result.statuses)) {
      statuses[status] = (statuses[status] ?? 0) + count;
    }
  }
  const acknowledged = statuses['200'] ?? 0;
  return {
    segmentId,
    pagesPerSecond: pages / seconds,
    cpuMicrosPerPage:
      cpuBefore === null || cpuAfter === null || acknowledged === 0
        ? null
        : (cpuAfter - cpuBefore) / acknowledged,
    acknowledged,
    statuses,
    latencies: results.flatMap((result) => result.latencies),
  };
}

/**
 * Pages of the warm-up sync each target gets before the rounds, in rounds' worth. V8 keeps
 * optimising a process's hot paths for thousands of requests, and the server has many more of them
 * than the floor: after a warm-up of a quarter of a round, its CPU per page was still well above
 * what it settles at (docs/benchmarks.md), so the ratio measured its start rather than a
 * long-running process.
 */
export const WARM_UP_ROUNDS = 2;

/**
 * A warm-up sync (`WARM_UP_ROUNDS` rounds' pages) to every target, so that each compiles its hot
 * paths, then `rounds` rounds; `nextSegment` hands out segment ids never used before. Each round
 * starts one target further on (round 2 with the second target, and so on), so that no target
 * always runs first, or always right after the same one.
 */
export async function alternatingRounds(
  targets: readonly IngestTarget[],
  size: PageSize,
  rounds: number,
  nextSegment: () => number,
): Promise<Round[][]> {
  for (const target of targets) {
    await runRound(target, size, nextSegment(), size.pages * WARM_UP_ROUNDS);
  }
  const measured: Round[][] = targets.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < targets.length; turn++) {
      const index = (round + turn) % targets.length;
      measured[index]!.push(await runRound(targets[index]!, size, nextSegment()));
    }
  }
  return measured;
}
