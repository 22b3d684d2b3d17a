// The identifiers a run sends (its first segment id, its sync_task_ids): random, so runs against the
// same endpoint never meet, or drawn from a seed, so that a run repeats exactly (mutation testing).
import { randomUUID } from 'node:crypto';

export interface RunIdentifiers {
  /** The first of a range of segment ids no earlier run used, far from ids a partner is likely to hold. */
  firstSegmentId: number;
  newSyncTaskId(): string;
}

/** mulberry32: a small, well-known 32-bit generator; enough to make ids repeat, not for secrets. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const segmentRange = (random: () => number) => 900_000_000 + Math.floor(random() * 90_000_000) * 10;

/** A UUID (version 4 layout) from the generator. */
function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export function runIdentifiers(seed: number | null): RunIdentifiers {
  if (seed === null)
    return { firstSegmentId: segmentRange(Math.random), newSyncTaskId: randomUUID };
  const random = seededRandom(seed);
  return { firstSegmentId: segmentRange(random), newSyncTaskId: () => seededUuid(random) };
}
