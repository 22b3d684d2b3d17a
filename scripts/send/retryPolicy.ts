// Heap's retry behaviour: which answers are retried, and how long to wait before the next attempt.
import type { Exchange } from '../../conformance/src/index.ts';

export interface RetryPolicy {
  maxAttempts: number;
  /** First backoff step in ms; each further attempt doubles it. */
  baseDelayMs: number;
  /** No single wait is longer than this. */
  maxDelayMs: number;
}

/**
 * Heap retries every answer that is not 2xx (its spec: 429 "will result in a retry", and any other
 * 4xx/5xx "Unexpected error - Will result in a retry"), timeouts and connection errors included; only
 * the attempt limit ends it. A partner that answers 400 or 403 by mistake still converges once fixed.
 */
export function isRetryable(exchange: Exchange): boolean {
  if (!exchange.ok) return true;
  return exchange.status < 200 || exchange.status >= 300;
}

/** `Retry-After` in ms (delta-seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(exchange: Exchange, now: number): number | null {
  if (!exchange.ok) return null;
  const raw = exchange.responseHeaders['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Wait before attempt `attempt + 1`: the server's Retry-After when it gave one (capped), else
 * exponential backoff with full jitter, `random(0, base * 2^(attempt-1))`.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  exchange: Exchange,
  now: number,
  random: () => number = Math.random,
): number {
  const requested = retryAfterMs(exchange, now);
  if (requested !== null) return Math.min(requested, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
