// Signs and verifies the `Heap-Hash` header of Heap's webhook deliveries: the one implementation the
// reference server, the conformance suite, the sender and the tests all use.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a delivery's signature was not accepted. Stable: they are the `error` of a 403 answer. */
export type HeapHashFailureCode =
  | 'missing_header'
  | 'malformed_header'
  | 'bad_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'signature_mismatch';

/** How far a delivery's timestamp may lie from the receiver's clock. */
export interface Tolerance {
  /** How old a timestamp may be, in ms (replay window). */
  pastMs: number;
  /** How far ahead of the receiver's clock a timestamp may be, in ms (sender clock skew). */
  futureMs: number;
}

/**
 * Three minutes back: three times Heap's reference app, so a large page uploaded over a slow link
 * or queued behind a proxy still verifies, while replays stay short-lived and the reference test
 * script's 5-minute shift is refused. One minute ahead: clocks that drift a few seconds (the
 * reference app's 1 s window refuses them) are accepted; a minute is far beyond NTP error.
 */
export const DEFAULT_TOLERANCE: Readonly<Tolerance> = { pastMs: 180_000, futureMs: 60_000 };

export interface ParsedHeapHash {
  /** The timestamp exactly as sent: it is part of the signed message. */
  timestampText: string;
  timestamp: number;
  /** The Base64 signature as sent. */
  hmac: string;
}

export type HeapHashFailure = { ok: false; code: HeapHashFailureCode; message: string };
export type ParseResult = ({ ok: true } & ParsedHeapHash) | HeapHashFailure;
export type VerifyResult =
  | { ok: true; timestamp: number; /** Which of the secrets matched. */ secretIndex: number }
  | HeapHashFailure;

const fail = (code: HeapHashFailureCode, message: string): HeapHashFailure => ({
  ok: false,
  code,
  message,
});

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HMAC_SHA256_BYTES = 32;

/**
 * Parses `ts:<ms>,hmac:<base64>`: keys in any order, whitespace around keys and values tolerated,
 * unknown keys ignored, a repeated key refused. Only the first `:` of a pair separates key and value.
 */
export function parseHeapHash(header: string | undefined): ParseResult {
  if (header === undefined || header.trim() === '') {
    return fail('missing_header', 'The Heap-Hash header is missing or empty.');
  }
  const fields = new Map<string, string>();
  for (const pair of header.split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) {
      return fail('malformed_header', 'Heap-Hash must be comma-separated key:value pairs.');
    }
    const key = pair.slice(0, colon).trim().toLowerCase();
    if (fields.has(key)) return fail('malformed_header', `Heap-Hash repeats the key "${key}".`);
    fields.set(key, pair.slice(colon + 1).trim());
  }
  const timestampText = fields.get('ts');
  const hmac = fields.get('hmac');
  if (timestampText === undefined || hmac === undefined) {
    return fail('malformed_header', 'Heap-Hash needs both a ts and an hmac key.');
  }
  if (!/^[0-9]{1,16}$/.test(timestampText)) {
    return fail('bad_timestamp', 'The Heap-Hash ts must be milliseconds since the Unix epoch.');
  }
  if (!BASE64.test(hmac)) {
    return fail('malformed_header', 'The Heap-Hash hmac must be Base64.');
  }
  return { ok: true, timestampText, timestamp: Number(timestampText), hmac };
}

/** The HMAC-SHA256 of `timestamp` immediately followed by the body bytes. */
export function computeHeapHmac(
  secret: string,
  timestampText: string,
  rawBody: Uint8Array | string,
): Buffer {
  return createHmac('sha256', secret).update(timestampText).update(rawBody).digest();
}

/** Builds the `Heap-Hash` header Heap would send for these exact body bytes at `timestamp` (ms). */
export function signHeapHash(options: {
  rawBody: Uint8Array | string;
  secret: string;
  timestamp: number;
}): string {
  const timestampText = String(Math.trunc(options.timestamp));
  const hmac = computeHeapHmac(options.secret, timestampText, options.rawBody).toString('base64');
  return `ts:${timestampText},hmac:${hmac}`;
}

/**
 * Null when the hmac decodes to an HMAC-SHA256 (32 bytes); otherwise why not. Checked before any
 * HMAC is computed, so a short or long digest is refused without comparing buffers of unequal length.
 */
export function checkHmacLength(hmac: string): HeapHashFailure | null {
  return Buffer.from(hmac, 'base64').length === HMAC_SHA256_BYTES
    ? null
    : fail(
        'signature_mismatch',
        'The Heap-Hash hmac is not a Base64 HMAC-SHA256 (32 bytes, 44 characters).',
      );
}

/**
 * The replay window: null when `timestamp` lies within `tolerance` of `now`, otherwise
 * `stale_timestamp` or `future_timestamp`. The one copy of the rule: the receiver checks it before
 * reading the body, and verifyHeapHash again after the HMAC.
 */
export function checkTimestampWindow(
  parsed: Pick<ParsedHeapHash, 'timestamp' | 'timestampText'>,
  now: number,
  tolerance: Tolerance,
): HeapHashFailure | null {
  const age = now - parsed.timestamp;
  if (age > tolerance.pastMs) {
    const hint =
      parsed.timestampText.length <= 10
        ? ' It looks like seconds; Heap-Hash timestamps are milliseconds.'
        : '';
    return fail(
      'stale_timestamp',
      `The Heap-Hash timestamp is ${Math.round(age / 1000)} s old; at most ${tolerance.pastMs / 1000} s is accepted.${hint}`,
    );
  }
  if (-age > tolerance.futureMs) {
    return fail(
      'future_timestamp',
      `The Heap-Hash timestamp is ${Math.round(-age / 1000)} s ahead of this server's clock; at most ${tolerance.futureMs / 1000} s is accepted.`,
    );
  }
  return null;
}

export interface VerifyOptions {
  /** The body exactly as received; never a re-serialisation of parsed JSON. */
  rawBody: Uint8Array | string;
  header: string | undefined;
  /** Every secret currently accepted (more than one while rotating). */
  secrets: readonly string[];
  /** The receiver's clock, ms since the epoch. */
  now: number;
  tolerance?: Tolerance;
}

/**
 * Verifies a delivery. The signature is checked before the timestamp, so `stale_timestamp` and
 * `future_timestamp` are only reported for genuinely signed deliveries: they point at a replay or a
 * clock problem, not at a wrong secret. Messages never include the expected signature.
 */
export function verifyHeapHash(options: VerifyOptions): VerifyResult {
  if (options.secrets.length === 0) throw new Error('verifyHeapHash needs at least one secret');
  const parsed = parseHeapHash(options.header);
  if (!parsed.ok) return parsed;
  const badLength = checkHmacLength(parsed.hmac);
  if (badLength) return badLength;
  const received = Buffer.from(parsed.hmac, 'base64');
  const secretIndex = options.secrets.findIndex((secret) =>
    timingSafeEqual(computeHeapHmac(secret, parsed.timestampText, options.rawBody), received),
  );
  if (secretIndex < 0) {
    return fail(
      'signature_mismatch',
      'The Heap-Hash hmac does not match the body. Check the webhook secret, and that the HMAC ' +
        'covers the timestamp followed by the raw body bytes.',
    );
  }
  const outside = checkTimestampWindow(parsed, options.now, options.tolerance ?? DEFAULT_TOLERANCE);
  if (outside) return outside;
  return { ok: true, timestamp: parsed.timestamp, secretIndex };
}
