// What can be checked of a `Heap-Hash` header before the body arrives: presence, syntax, the length
// of the hmac and the timestamp window, each by the contract's own rule. A delivery failing any of
// these is answered before its body is read, so an unsigned or replayed upload costs no memory.
import {
  checkHmacLength,
  checkTimestampWindow,
  parseHeapHash,
  type HeapHashFailure,
  type ParsedHeapHash,
  type Tolerance,
} from '../../../spec/src/index.ts';

export type HeaderCheck = ({ ok: true } & ParsedHeapHash) | HeapHashFailure;

export function checkHeapHashHeader(
  header: string | undefined,
  now: number,
  tolerance: Tolerance,
): HeaderCheck {
  const parsed = parseHeapHash(header);
  if (!parsed.ok) return parsed;
  return checkHmacLength(parsed.hmac) ?? checkTimestampWindow(parsed, now, tolerance) ?? parsed;
}
