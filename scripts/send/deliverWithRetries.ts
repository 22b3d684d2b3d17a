// Delivers one body like Heap: signed afresh for every attempt, retried with backoff on any answer
// that is not 2xx, on timeouts and on connection errors, up to a number of attempts.
import type { DeliveryClient, Exchange } from '../../conformance/src/index.ts';
import type { OutgoingDelivery } from '../../spec/src/index.ts';
import { isRetryable, retryDelayMs, type RetryPolicy } from './retryPolicy.ts';

export interface DeliveryReport {
  /** What was delivered, e.g. `page 3/10` or `drain`. */
  label: string;
  delivered: boolean;
  /** The status (or network error) of each attempt, in order. */
  attempts: string[];
  /** The last answer's body, when the delivery was not delivered (for the summary). */
  lastResponse?: string;
  /** How long the last attempt took, in ms. */
  lastAttemptMs: number;
  /** The start of the last answer's body (or the network error), for delivery logs. */
  responseExcerpt: string;
}

export interface RetryContext {
  client: DeliveryClient;
  policy: RetryPolicy;
  /** The clock used for signing timestamps and Retry-After dates. */
  now: () => number;
  /** Waits before a retry; resolves early when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Aborted when the run is interrupted: no further attempt is made. */
  signal?: AbortSignal;
}

const outcomeOf = (exchange: Exchange): string =>
  exchange.ok ? String(exchange.status) : exchange.error;

export async function deliverWithRetries(
  label: string,
  build: (timestamp: number) => OutgoingDelivery,
  context: RetryContext,
): Promise<DeliveryReport> {
  const attempts: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const exchange = await context.client.send(build(context.now()));
    attempts.push(outcomeOf(exchange));
    const last = {
      lastAttemptMs: Math.round(exchange.durationMs),
      responseExcerpt: (exchange.ok ? exchange.responseBody : exchange.message).slice(0, 200),
    };
    if (exchange.ok && exchange.status >= 200 && exchange.status < 300) {
      return { label, delivered: true, attempts, ...last };
    }
    const lastResponse = exchange.ok ? exchange.responseBody.slice(0, 500) : exchange.message;
    if (!isRetryable(exchange) || attempt >= context.policy.maxAttempts) {
      return { label, delivered: false, attempts, lastResponse, ...last };
    }
    await context.sleep(
      retryDelayMs(context.policy, attempt, exchange, context.now()),
      context.signal,
    );
    if (context.signal?.aborted) {
      return {
        label,
        delivered: false,
        attempts,
        lastResponse: `${lastResponse} (interrupted)`,
        ...last,
      };
    }
  }
}
