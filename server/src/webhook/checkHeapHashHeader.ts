// What can be checked of a `Heap-Hash` header before the body arrives: presence, syntax, the length
// of the hmac and the timestamp window. A delivery failing any of these is answered before its body
// is read, so an unsigned or replayed upload costs no memory.
import {
  parseHeapHash,
  type HeapHashFailure,
  type ParsedHeapHash,
  type Tolerance,
} from '../../../spec/src/index.ts';

const HMAC_SHA256_BYTES = 32;

export type HeaderCheck = ({ ok: true } & ParsedHeapHash) | HeapHashFailure;

export function checkHeapHashHeader(
  header: string | undefined,
  now: number,
  tolerance: Tolerance,
): HeaderCheck {
  const parsed = parseHeapHash(header);
  if (!parsed.ok) return parsed;
  if (Buffer.from(parsed.hmac, 'base64').length !== HMAC_SHA256_BYTES) {
    return {
      ok: false,
      code: 'signature_mismatch',
      message: 'The Heap-Hash hmac is not a Base64 HMAC-SHA256 (32 bytes, 44 characters).',
    };
  }
  const age = now - parsed.timestamp;
  if (age > tolerance.pastMs) {
    const hint =
      parsed.timestampText.length <= 10
        ? ' It looks like seconds; Heap-Hash timestamps are milliseconds.'
        : '';
    return {
      ok: false,
      code: 'stale_timestamp',
      message: `The Heap-Hash timestamp is ${Math.round(age / 1000)} s old; at most ${tolerance.pastMs / 1000} s is accepted.${hint}`,
    };
  }
  if (-age > tolerance.futureMs) {
    return {
      ok: false,
      code: 'future_timestamp',
      message: `The Heap-Hash timestamp is ${Math.round(-age / 1000)} s ahead of this server's clock; at most ${tolerance.futureMs / 1000} s is accepted.`,
    };
  }
  return parsed;
}
