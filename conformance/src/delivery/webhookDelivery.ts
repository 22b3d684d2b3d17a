// Builds, signs and sends webhook deliveries the way Heap does, over keep-alive HTTP, and records
// each exchange. Shared by the conformance suite, the sender CLI, the benchmarks and the tests.
import { Agent } from 'undici';
import { signHeapHash } from '../../../server/src/webhook/heapHash.ts';

/** One request as sent: the body is the exact bytes that were signed (or deliberately not). */
export interface OutgoingDelivery {
  url: string;
  body: Buffer;
  headers: Record<string, string>;
}

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

/** The body bytes for a payload: compact JSON unless bytes or text are given as they are. */
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

export interface DeliveryClientOptions {
  /** Per-request time limit in ms, from sending to the end of the response. */
  timeoutMs: number;
  /** Keep-alive connections per origin. */
  connections?: number;
}

function classifyNetworkError(error: unknown): Exclude<Exchange, { ok: true }>['error'] {
  const code = (error as { code?: string; cause?: { code?: string } }).code;
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return 'timeout';
  }
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
    return 'connection_reset';
  return 'network_error';
}

/** Sends deliveries over a pool of keep-alive connections. */
export class DeliveryClient {
  readonly #agent: Agent;
  readonly #timeoutMs: number;

  constructor(options: DeliveryClientOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#agent = new Agent({
      connections: options.connections ?? 64,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /**
   * Sends one delivery. Uses undici's dispatch with a handler that only collects the answer: the
   * sender must not be the bottleneck of a load test. The time limit covers the whole exchange.
   */
  send(delivery: OutgoingDelivery): Promise<Exchange> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const url = new URL(delivery.url);
    return new Promise<Exchange>((resolve) => {
      let status = 0;
      let responseHeaders: Record<string, string | string[] | undefined> = {};
      const chunks: Buffer[] = [];
      let settled = false;
      let abort: ((reason: Error) => void) | null = null;
      const settle = (exchange: Exchange) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(exchange);
      };
      const fail = (error: unknown) =>
        settle({
          ok: false,
          request: delivery,
          error: classifyNetworkError(error),
          message: (error as Error).message,
          durationMs: elapsed(),
        });
      const timer = setTimeout(() => {
        const error = Object.assign(new Error(`no complete answer within ${this.#timeoutMs} ms`), {
          name: 'TimeoutError',
        });
        abort?.(error);
        fail(error);
      }, this.#timeoutMs);
      try {
        this.#agent.dispatch(
          {
            origin: url.origin,
            path: url.pathname + url.search,
            method: 'POST',
            headers: delivery.headers,
            body: delivery.body,
          },
          {
            onRequestStart(controller) {
              abort = (reason) => controller.abort(reason);
            },
            onResponseStart(_controller, statusCode, headers) {
              status = statusCode;
              responseHeaders = headers;
            },
            onResponseData(_controller, chunk) {
              chunks.push(chunk);
            },
            onResponseEnd() {
              settle({
                ok: true,
                request: delivery,
                status,
                responseHeaders,
                responseBody: Buffer.concat(chunks).toString('utf8'),
                durationMs: elapsed(),
              });
            },
            onResponseError(_controller, error) {
              fail(error);
            },
          },
        );
      } catch (error) {
        fail(error);
      }
    });
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}
