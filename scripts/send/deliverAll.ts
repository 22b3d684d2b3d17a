// Delivers pages as they are built, with a fixed number in flight, each with Heap's retry behaviour;
// an interruption stops sending and waits a little for the pages in flight.
import { setTimeout as delay } from 'node:timers/promises';
import { DeliveryClient } from '../../conformance/src/index.ts';
import { signedDelivery } from '../../spec/src/index.ts';
import { deliverWithRetries, type DeliveryReport } from './deliverWithRetries.ts';
import { DeliveryTally, type DeliverySummary } from './deliverySummary.ts';
import type { RetryPolicy } from './retryPolicy.ts';

/** One body to deliver, with a label for progress and summaries (`page 3/10`, `drain`). */
export interface PlannedBody {
  label: string;
  body: Buffer;
  /**
   * Called once the body has been answered 2xx, when its bytes may be overwritten. A 2xx answer
   * comes after the receiver read the whole body (it verifies the signature over it), so none of
   * it is still queued on a socket; a body given up on is never released, as an early answer (a
   * 401 before the body was read) may leave part of it queued.
   */
  release?: () => void;
}

export interface DeliverAllOptions {
  url: string;
  secret: string;
  skewMs: number;
  concurrency: number;
  timeoutMs: number;
  policy: RetryPolicy;
  /** Called after each delivery settles (for progress). */
  onSettled?: (report: DeliveryReport) => void;
  /** Aborting it stops taking pages; pages in flight get `graceMs` to settle. */
  signal?: AbortSignal;
  /** How long an interrupted run waits for pages in flight (default 2000 ms). */
  graceMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Waits `ms`, or less when `signal` aborts; never rejects. */
const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * Delivers `total` pages taken from `pages` one at a time: a page is built only when a slot is free,
 * so memory holds `concurrency` pages whatever the size of the sync.
 */
export async function deliverAll(
  pages: Iterable<PlannedBody> | AsyncIterable<PlannedBody>,
  total: number,
  options: DeliverAllOptions,
): Promise<DeliverySummary> {
  const client = new DeliveryClient({
    timeoutMs: options.timeoutMs,
    connections: options.concurrency,
  });
  const signal = options.signal;
  const context = {
    client,
    policy: options.policy,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? abortableSleep,
    signal,
  };
  const source =
    Symbol.asyncIterator in pages
      ? pages[Symbol.asyncIterator]()
      : (pages as Iterable<PlannedBody>)[Symbol.iterator]();
  const tally = new DeliveryTally();
  let inFlight = 0;
  const started = performance.now();

  // One page is built ahead, while the pages taken are on the wire, so that building and sending
  // overlap even with one page in flight.
  let ahead: Promise<IteratorResult<PlannedBody>> | undefined;
  let exhausted = false;
  const take = (): Promise<IteratorResult<PlannedBody>> => {
    const next = ahead ?? Promise.resolve(source.next());
    ahead = undefined;
    return next.then((result) => {
      if (result.done) exhausted = true;
      return result;
    });
  };
  const buildAhead = () => {
    if (ahead || exhausted || signal?.aborted) return;
    ahead = Promise.resolve(source.next());
    // A failure to build is reported to whoever takes the page, not as an unhandled rejection.
    ahead.catch(() => undefined);
  };

  const worker = async (): Promise<void> => {
    while (!signal?.aborted) {
      const next = await take();
      if (next.done || signal?.aborted) return;
      const { label, body, release } = next.value;
      inFlight++;
      const delivering = deliverWithRetries(
        label,
        (timestamp) =>
          signedDelivery({
            url: options.url,
            body,
            secret: options.secret,
            timestamp: timestamp + options.skewMs,
          }),
        context,
      );
      setImmediate(buildAhead);
      const report = await delivering;
      inFlight--;
      if (report.delivered) release?.();
      tally.record(report);
      options.onSettled?.(report);
    }
  };

  const workers = Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  let interrupted = false;
  try {
    if (signal) {
      const stopped = new Promise<void>((resolve) =>
        signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve()),
      );
      const first = await Promise.race([workers.then(() => 'done' as const), stopped]);
      if (first !== 'done') {
        interrupted = true;
        await Promise.race([workers, delay(options.graceMs ?? 2000)]);
      }
    } else {
      await workers;
    }
  } finally {
    // Pages still in flight after the grace period are abandoned, not awaited.
    if (interrupted && inFlight > 0) void client.close().catch(() => undefined);
    else await client.close();
  }
  return tally.summary({
    deliveries: total,
    inFlight,
    interrupted: interrupted && tally.settled < total,
    durationMs: performance.now() - started,
  });
}
