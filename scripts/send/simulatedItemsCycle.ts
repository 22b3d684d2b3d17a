// Writes runs of simulated users' `{"id":...}` items by copying a pre-encoded cycle of items and
// filling in only their upper digits: a 10,000-user page is one large copy and a few stores per user.
import { DOMAINS, FIRST, LAST } from './userIds.ts';
import { simulatedItemsMaxBytes, writeSimulatedItems } from './simulatedUsersJson.ts';

/**
 * A user's name parts repeat every 12 × 9 indexes and its domain every 7 × 5; with the last digit,
 * the whole item but its upper digits repeats every CYCLE indexes. (A cycle of 3,780 items, 174 kB,
 * stays in a core's cache with the page being written; one keeping two digits is five times larger.)
 */
const CYCLE = 3_780;
if (CYCLE % (FIRST.length * LAST.length) || CYCLE % (7 * DOMAINS.length) || CYCLE % 10) {
  throw new Error('simulatedItemsCycle: CYCLE must be a multiple of every period of the ids');
}
const COMMA = 0x2c;
const ZERO = 0x30;
const NINE = 0x39;
const AT = 0x40;

/** One cycle of items for ids of one digit count, each followed by a comma. */
interface Cycle {
  bytes: Uint8Array;
  /** Where item `r` (index ≡ r mod CYCLE) starts in `bytes`; entry CYCLE is the end. */
  starts: Int32Array;
  /** Where item `r`'s digits start in `bytes` (its upper digits, then its last digit). */
  slots: Int32Array;
}

/** The cycles for each digit count, built when first needed (about 174 kB each). */
const cycles = new Map<number, Cycle>();

/** Indexes of fewer digits than this are written item by item (they are the first 10,000). */
const CYCLED_DIGITS = 5;

function cycleFor(digits: number): Cycle {
  let cycle = cycles.get(digits);
  if (cycle) return cycle;
  // The items of CYCLE consecutive indexes of `digits` digits from a multiple of CYCLE: item r has
  // the layout and last digit of every index ≡ r (mod CYCLE) of that many digits.
  const first = Math.ceil(10 ** (digits - 1) / CYCLE) * CYCLE;
  const bytes = new Uint8Array(simulatedItemsMaxBytes(CYCLE));
  const starts = new Int32Array(CYCLE + 1);
  const slots = new Int32Array(CYCLE);
  let end = 0;
  for (let r = 0; r < CYCLE; r++) {
    starts[r] = end;
    end = writeSimulatedItems(bytes, end, first + r, 1);
    // The digits end where the tail `@<domain>"}` begins.
    let at = end - 1;
    while (bytes[at] !== AT) at--;
    slots[r] = at - digits;
    bytes[end++] = COMMA;
  }
  starts[CYCLE] = end;
  cycle = { bytes: bytes.slice(0, end), starts, slots };
  cycles.set(digits, cycle);
  return cycle;
}

/** Where items are written only to be measured. */
let scratch = new Uint8Array(0);
function scratchFor(count: number): Uint8Array {
  const bytes = simulatedItemsMaxBytes(count);
  if (scratch.length < bytes) scratch = new Uint8Array(bytes);
  return scratch;
}

const digitCount = (index: number): number => String(index).length;

/** Splits `from` .. `from + count - 1` into runs of one digit count: [from, count, digits]. */
function* runsByDigits(from: number, count: number): Generator<[number, number, number]> {
  let start = from;
  const end = from + count;
  while (start < end) {
    const digits = digitCount(start);
    const runEnd = Math.min(end, 10 ** digits);
    yield [start, runEnd - start, digits];
    start = runEnd;
  }
}

/**
 * Stores the upper digits of indexes `index`, `index + 1`, ... at the slots of cycle items `first`
 * .. `end - 1`, moved by `shift`, counting `digits` up as the last digit wraps. The first four go
 * as one unaligned 32-bit store and the next two as one 16-bit store: measured faster than a store
 * per digit.
 */
function storeUpperDigits(
  view: DataView,
  target: Uint8Array,
  slots: Int32Array,
  first: number,
  end: number,
  shift: number,
  index: number,
  digits: Uint8Array,
  upper: number,
): void {
  const pack = () => digits[0]! | (digits[1]! << 8) | (digits[2]! << 16) | (digits[3]! << 24);
  let four = pack();
  let two = digits[4]! | (digits[5]! << 8);
  let untilCarry = 10 - (index % 10);
  for (let item = first; item < end; item++) {
    const slot = slots[item]! + shift;
    view.setUint32(slot, four, true);
    if (upper === 5) target[slot + 4] = two & 0xff;
    else if (upper === 6) view.setUint16(slot + 4, two, true);
    else if (upper > 6)
      for (let digit = 4; digit < upper; digit++) target[slot + digit] = digits[digit]!;
    if (--untilCarry === 0) {
      untilCarry = 10;
      let digit = upper - 1;
      while (digit > 0 && digits[digit] === NINE) digits[digit--] = ZERO;
      digits[digit]!++;
      four = pack();
      two = digits[4]! | (digits[5]! << 8);
    }
  }
}

/** Bytes of the items of users `from` .. `from + count - 1`, comma-separated. */
export function simulatedItemsBytes(from: number, count: number): number {
  if (count <= 0) return 0;
  let bytes = 0;
  for (const [start, run, digits] of runsByDigits(from, count)) {
    if (digits < CYCLED_DIGITS) {
      bytes += writeSimulatedItems(scratchFor(run), 0, start, run) + 1;
      continue;
    }
    const { starts } = cycleFor(digits);
    const r = start % CYCLE;
    const whole = Math.floor((r + run) / CYCLE);
    const last = (r + run) % CYCLE;
    bytes += whole * starts[CYCLE]! + starts[last]! - starts[r]!;
  }
  return bytes - 1;
}

/**
 * Writes the items of users `from` .. `from + count - 1`, comma-separated, at `at`; returns the end.
 * Byte for byte what `writeSimulatedItems` writes, which is what `JSON.stringify` writes.
 */
export function copySimulatedItems(
  target: Uint8Array,
  at: number,
  from: number,
  count: number,
): number {
  if (count <= 0) return at;
  let out = at;
  const upperDigits = new Uint8Array(16);
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  for (const [start, run, digits] of runsByDigits(from, count)) {
    if (out > at) target[out++] = COMMA;
    if (digits < CYCLED_DIGITS) {
      out = writeSimulatedItems(target, out, start, run);
      continue;
    }
    const { bytes, starts, slots } = cycleFor(digits);
    const end = start + run;
    // The upper digits (all but the last) of the index being written, counted up every 10 users.
    const upper = digits - 1;
    let rest = Math.floor(start / 10);
    for (let digit = upper - 1; digit >= 0; digit--) {
      upperDigits[digit] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    let index = start;
    while (index < end) {
      const r = index % CYCLE;
      const taken = Math.min(end - index, CYCLE - r);
      // Items are copied with the comma that follows each, but for the last one of the run.
      const copied = starts[r + taken]! - starts[r]! - (index + taken === end ? 1 : 0);
      target.set(bytes.subarray(starts[r]!, starts[r]! + copied), out);
      storeUpperDigits(
        view,
        target,
        slots,
        r,
        r + taken,
        out - starts[r]!,
        index,
        upperDigits,
        upper,
      );
      out += copied;
      index += taken;
    }
  }
  return out;
}
