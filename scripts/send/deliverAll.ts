// Delivers planned bodies with a fixed number in flight, each with Heap's retry behaviour.
import { DeliveryClient } from '../../conformance/src/index.ts';
import { signedDelivery } from '../../spec/src/index.ts';
import { deliverWithRetries, type DeliveryReport } from './deliverWithRetries.ts';
import { summarise, type DeliverySummary } from './deliverySummary.ts';
import type { RetryPolicy } from './retryPolicy.ts';

/** One body to deliver, with a label for progress and summaries (`page 3/10`, `drain`). */
export interface PlannedBody {
  label: string;
  body: Buffer;
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
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export async function deliverAll(
  bodies: readonly PlannedBody[],
  options: DeliverAllOptions,
): Promise<DeliverySummary> {
  const client = new DeliveryClient({
    timeoutMs: options.timeoutMs,
    connections: options.concurrency,
  });
  const now = options.now ?? Date.now;
  const context = {
    client,
    policy: options.policy,
    now,
    sleep:
      options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
  };
  const reports: DeliveryReport[] = new Array(bodies.length);
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency, bodies.length) }, async () => {
        while (next < bodies.length) {
          const index = next++;
          const { label, body } = bodies[index]!;
          reports[index] = await deliverWithRetries(
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
          options.onSettled?.(reports[index]!);
        }
      }),
    );
  } finally {
    await client.close();
  }
  return summarise(reports, performance.now() - started);
}
