// Realistic user ids for simulated syncs (emails, some beyond ASCII), and id files, both as streams
// of batches so that no whole list is ever held.
import { createReadStream } from 'node:fs';

export const FIRST = [
  'ada',
  'zoë',
  'jürgen',
  'søren',
  'émilie',
  'ngozi',
  'mateo',
  'priya',
  'ñandú',
  '山田',
  'olga',
  'kwame',
];
export const LAST = [
  'lovelace',
  'müller',
  'ørsted',
  'garcía',
  'okafor',
  'tanaka',
  'kowalski',
  'nguyen',
  'dubois',
];
export const DOMAINS = [
  'example.com',
  'exämple.org',
  'mail.example.net',
  '例え.jp',
  'corp.example',
];

/** The `index`-th simulated user id: deterministic, unique per index, about 1 in 4 non-ASCII. */
export function simulatedUserId(index: number): string {
  const first = FIRST[index % FIRST.length]!;
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length]!;
  const domain = DOMAINS[Math.floor(index / 7) % DOMAINS.length]!;
  return `${first}.${last}.${index}@${domain}`;
}

export function simulatedUserIds(count: number, offset = 0): string[] {
  const ids = new Array<string>(count);
  for (let index = 0; index < count; index++) ids[index] = simulatedUserId(offset + index);
  return ids;
}

/**
 * A run of users as pages are cut from it: ids read from a file, or simulated ids by index (never
 * turned into strings when a page body is written straight from their indexes).
 */
export type UserIdBatch = readonly string[] | SimulatedUserRange;

export interface SimulatedUserRange {
  /** Index of the first simulated user (see `simulatedUserId`). */
  from: number;
  count: number;
}

export const batchSize = (batch: UserIdBatch): number =>
  'count' in batch ? batch.count : batch.length;

/** `count` users of `batch` starting at `start`. */
export function sliceBatch(batch: UserIdBatch, start: number, count: number): UserIdBatch {
  if ('count' in batch) {
    return { from: batch.from + start, count: Math.max(0, Math.min(count, batch.count - start)) };
  }
  return batch.slice(start, start + count);
}

/** The ids of a batch as strings. */
export const batchIds = (batch: UserIdBatch): readonly string[] =>
  'count' in batch ? simulatedUserIds(batch.count, batch.from) : batch;

/** The first `count` simulated users as one range. */
export function* simulatedUsers(count: number): Generator<UserIdBatch> {
  if (count > 0) yield { from: 0, count };
}

/**
 * Reads one user id per line (UTF-8) as a stream, yielding the ids of each chunk read; blank lines
 * and surrounding whitespace are ignored. Memory stays at one chunk whatever the file's size.
 */
export async function* readUserIdBatches(file: string): AsyncGenerator<string[]> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    const ids = idsOf(lines);
    if (ids.length > 0) yield ids;
  }
  const ids = idsOf([rest]);
  if (ids.length > 0) yield ids;
}

const idsOf = (lines: string[]): string[] =>
  lines.map((line) => line.trim()).filter((line) => line !== '');

/** How many ids `readUserIdBatches` yields for `file` (one streaming pass). */
export async function countUserIds(file: string): Promise<number> {
  let count = 0;
  for await (const ids of readUserIdBatches(file)) count += ids.length;
  return count;
}
