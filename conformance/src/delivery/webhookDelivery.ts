// Sends signed webhook deliveries over keep-alive HTTP (undici) and records each exchange. Shared by
// the conformance suite, the sender and the benchmarks.
import { Pool, type Dispatcher } from 'undici';
import type { OutgoingDelivery } from '../../../spec/src/index.ts';

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
  /** Extra certificate authorities to trust for https URLs (PEM), besides Node's. */
  ca?: string | Buffer;
}

type Answer = Omit<Exchange & { ok: true }, 'ok' | 'request' | 'durationMs'>;

class DeliveryTimeout extends Error {
  readonly code = 'DELIVERY_TIMEOUT';
}

function classifyNetworkError(error: unknown): Exclude<Exchange, { ok: true }>['error'] {
  const code = (error as { code?: string }).code;
  if (code === 'DELIVERY_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return 'timeout';
  if (code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') {
    return 'connection_reset';
  }
  return 'network_error';
}

/**
 * Sends deliveries over pools of keep-alive connections, one pool per origin. It uses undici's
 * dispatch API (no streams per request), as fast as a hand-written HTTP/1.1 client in the client
 * benchmark recorded in docs/benchmarks.md.
 */
export class DeliveryClient {
  readonly #pools = new Map<string, Pool>();
  /** Parsed target URLs: a run sends to the same few URLs many times. */
  readonly #targets = new Map<string, { origin: string; path: string }>();
  readonly #options: DeliveryClientOptions;

  constructor(options: DeliveryClientOptions) {
    this.#options = options;
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.#options.connections ?? 64,
        pipelining: 1,
        ...(this.#options.ca ? { connect: { ca: this.#options.ca } } : {}),
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  #target(url: string): { origin: string; path: string } {
    let target = this.#targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: parsed.pathname + parsed.search };
      if (this.#targets.size < 1000) this.#targets.set(url, target);
    }
    return target;
  }

  /** One POST; rejects with the network error. `started` says whether any answer began. */
  #post(pool: Pool, path: string, delivery: OutgoingDelivery, started: { answer: boolean }) {
    const timeoutMs = this.#options.timeoutMs;
    return new Promise<Answer>((resolve, reject) => {
      const answer: Answer = { status: 0, responseHeaders: {}, responseBody: '' };
      const parts: Buffer[] = [];
      let timer: NodeJS.Timeout | undefined;
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(controller) {
          timer = setTimeout(
            () =>
              controller.abort(new DeliveryTimeout(`no complete answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        },
        onResponseStart(_controller, status, headers) {
          started.answer = true;
          answer.status = status;
          answer.responseHeaders = headers as Answer['responseHeaders'];
        },
        onResponseData(_controller, chunk) {
          parts.push(chunk);
        },
        onResponseEnd() {
          clearTimeout(timer);
          answer.responseBody = Buffer.concat(parts).toString('utf8');
          resolve(answer);
        },
        onResponseError(_controller, error) {
          clearTimeout(timer);
          reject(error);
        },
      };
      pool.dispatch(
        { path, method: 'POST', headers: delivery.headers, body: delivery.body },
        handler,
      );
    });
  }

  /** Sends one delivery; the time limit covers the whole exchange. Never throws. */
  async send(delivery: OutgoingDelivery): Promise<Exchange> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    try {
      const target = this.#target(delivery.url);
      const pool = this.#pool(target.origin);
      let answer: Answer;
      const progress = { answer: false };
      try {
        answer = await this.#post(pool, target.path, delivery, progress);
      } catch (error) {
        // A kept-alive connection the partner closed just as it was reused carries no answer at
        // all: send once more on a fresh one, as a browser would. A timeout is never retried.
        if (progress.answer || classifyNetworkError(error) !== 'connection_reset') throw error;
        answer = await this.#post(pool, target.path, delivery, progress);
      }
      return { ok: true, request: delivery, ...answer, durationMs: elapsed() };
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
