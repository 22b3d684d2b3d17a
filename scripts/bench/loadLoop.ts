// Sends prepared requests with a fixed number of requests in flight and measures each one.
import { DeliveryClient } from '../../conformance/src/index.ts';
import type { OutgoingDelivery } from '../../spec/src/index.ts';

export interface LoadResult {
  durationMs: number;
  /** Per-request latency in ms, in completion order. */
  latencies: number[];
  /** How many answers had each status (`error` for network failures). */
  statuses: Record<string, number>;
}

export async function runLoad(
  requests: readonly OutgoingDelivery[],
  concurrency: number,
): Promise<LoadResult> {
  const client = new DeliveryClient({ timeoutMs: 60_000, connections: concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const exchange = await client.send(requests[next++]!);
        latencies.push(exchange.durationMs);
        const key = exchange.ok ? String(exchange.status) : 'error';
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
    }),
  );
  const durationMs = performance.now() - started;
  await client.close();
  return { durationMs, latencies, statuses };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
