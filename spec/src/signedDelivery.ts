// A delivery as Heap puts it on the wire: the exact body bytes, `Content-Type: application/json` and
// a `Heap-Hash` signed over those bytes.
import { signHeapHash } from './heapHash.ts';

/** One request as sent: the body is the exact bytes that were signed (or deliberately not). */
export interface OutgoingDelivery {
  url: string;
  body: Buffer;
  headers: Record<string, string>;
}

/** The body bytes for a payload: compact JSON (as Heap sends it) unless bytes or text are given. */
export function bodyBytes(payload: unknown): Buffer {
  if (Buffer.isBuffer(payload)) return payload;
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

/** A signed delivery of `body` to `url`, signed at `timestamp` (ms) with `secret`. */
export function signedDelivery(options: {
  url: string;
  body: Buffer;
  secret: string;
  timestamp: number;
  headers?: Record<string, string>;
}): OutgoingDelivery {
  return {
    url: options.url,
    body: options.body,
    headers: {
      'content-type': 'application/json',
      'heap-hash': signHeapHash({
        rawBody: options.body,
        secret: options.secret,
        timestamp: options.timestamp,
      }),
      ...options.headers,
    },
  };
}
