// Compares a request's bearer token with the expected one in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** True when `authorization` is `Bearer <expected>` (scheme case-insensitive). */
export function hasBearerToken(authorization: string | undefined, expected: string): boolean {
  const match = /^bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  // Digests have equal lengths, so the comparison cannot reveal the token's length.
  return match !== null && timingSafeEqual(digest(match[1]!), digest(expected));
}
