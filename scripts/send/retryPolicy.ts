// Heap's retry behaviour: which answers are retried, and how long to wait before the next attempt.
import type { Exchange } from '../../conformance/src/index.ts';

export interface RetryPolicy {
  maxAttempts: number;
  /** First backoff step in ms; each further attempt doubles it. */
  baseDelayMs: number;
  /** No single wait is longer than this. */
  maxDelayMs: number;
}

/** 429, 5xx, timeouts and connection errors are retried; any other answer is final. */
export function isRetryable(exchange: Exchange): boolean {
  if (!exchange.ok) return true;
  return exchange.status === 429 || exchange.status >= 500;
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
