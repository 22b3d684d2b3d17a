// Sends signed webhook deliveries over keep-alive HTTP and records each exchange. Shared by the
// conformance suite, the sender and the benchmarks.
import type { OutgoingDelivery } from '../../../spec/src/index.ts';
import { Http1Pool } from './http1Pool.ts';

export type Exchange =
  | {
      ok: true;
      request: OutgoingDelivery;
      status: number;
      responseHeaders: Record<string, string | string[] | undefined>;
      responseBody: string;
      durationMs: number;
    }
  | {
      ok: false;
      request: OutgoingDelivery;
      /** `timeout`, `connection_refused`, `connection_reset` or `network_error`. */
      error: 'timeout' | 'connection_refused' | 'connection_reset' | 'network_error';
      message: string;
      durationMs: number;
    };

export interface DeliveryClientOptions {
  /** Per-request time limit in ms, from sending to the end of the response. */
  timeoutMs: number;
  /** Keep-alive connections per origin. */
  connections?: number;
}

function classifyNetworkError(error: unknown): Exclude<Exchange, { ok: true }>['error'] {
  const code = (error as { code?: string }).code;
  if (code === 'TIMEOUT') return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection_reset';
  return 'network_error';
}

/** Sends deliveries over pools of keep-alive connections, one pool per origin. */
export class DeliveryClient {
  readonly #pools = new Map<string, Http1Pool>();
  /** Parsed target URLs: a run sends to the same few URLs many times. */
  readonly #targets = new Map<string, { origin: string; path: string }>();
  readonly #timeoutMs: number;
  readonly #connections: number;

  constructor(options: DeliveryClientOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#connections = options.connections ?? 64;
  }

  #pool(origin: string): Http1Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Http1Pool(origin, { connections: this.#connections, timeoutMs: this.#timeoutMs });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /** Sends one delivery; the time limit covers the whole exchange. Never throws. */
  async send(delivery: OutgoingDelivery): Promise<Exchange> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    try {
      let target = this.#targets.get(delivery.url);
      if (!target) {
        const url = new URL(delivery.url);
        target = { origin: url.origin, path: url.pathname + url.search };
        if (this.#targets.size < 1000) this.#targets.set(delivery.url, target);
      }
      const response = await this.#pool(target.origin).post(
        target.path,
        delivery.headers,
        delivery.body,
      );
      return {
        ok: true,
        request: delivery,
        status: response.status,
        responseHeaders: response.headers,
        responseBody: response.body.toString('utf8'),
        durationMs: elapsed(),
      };
    } catch (error) {
      return {
        ok: false,
        request: delivery,
        error: classifyNetworkError(error),
        message: (error as Error).message,
        durationMs: elapsed(),
      };
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.close()));
    this.#pools.clear();
  }
}
