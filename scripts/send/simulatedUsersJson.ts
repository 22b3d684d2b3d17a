// Writes the `{"id":"..."}` items of simulated users straight into bytes, from their indexes: a
// 10,000-user page needs no id strings, no JSON.stringify and no UTF-8 transcoding.
import { DOMAINS, FIRST, LAST } from './userIds.ts';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

for (const part of [...FIRST, ...LAST, ...DOMAINS]) {
  // The parts are written unescaped; JSON would leave them unchanged too.
  if (JSON.stringify(part) !== `"${part}"`) throw new Error(`"${part}" needs JSON escaping`);
}

/** `{"id":"<first>.<last>.` for every first name (index % FIRST) and last name, encoded once. */
const HEADS = LAST.map((last) => FIRST.map((first) => utf8(`{"id":"${first}.${last}.`)));
/** `@<domain>"}` for every domain. */
const TAILS = DOMAINS.map((domain) => utf8(`@${domain}"}`));
const COMMA = 0x2c;

const longest = (parts: Buffer[]): number => Math.max(...parts.map((part) => part.length));
/** The most bytes one item takes: head, up to 16 digits, tail and a comma. */
const MAX_ITEM_BYTES = longest(HEADS.flat()) + 16 + longest(TAILS) + 1;

/** The most bytes `count` items can take, for sizing the target. */
export const simulatedItemsMaxBytes = (count: number): number => count * MAX_ITEM_BYTES;

/**
 * Writes the items of users `from` .. `from + count - 1`, comma-separated, at `at`; returns the end.
 * Byte for byte what `JSON.stringify` writes for `{id: simulatedUserId(index)}`. (`set` for the
 * encoded parts and a loop for the ASCII digits measured 2.5x faster than `Buffer#copy` calls.)
 */
export function writeSimulatedItems(target: Uint8Array, at: number, from: number, count: number) {
  let end = at;
  for (let index = from; index < from + count; index++) {
    if (index > from) target[end++] = COMMA;
    const head = HEADS[Math.floor(index / FIRST.length) % LAST.length]![index % FIRST.length]!;
    target.set(head, end);
    end += head.length;
    const digits = String(index);
    for (let digit = 0; digit < digits.length; digit++) target[end++] = digits.charCodeAt(digit);
    const tail = TAILS[Math.floor(index / 7) % DOMAINS.length]!;
    target.set(tail, end);
    end += tail.length;
  }
  return end;
}
