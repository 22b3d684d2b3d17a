// The reference server's Prometheus series, in a registry of its own (one per app, so apps in one
// process never share a series), and the middleware that records every request and delivery.
// Labels hold only words from fixed sets (route patterns, methods, statuses, outcome codes), never
// text from a request.
import type { Middleware } from 'koa';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { InflightBodyBudget } from '../http/inflightBodyBudget.ts';
import type { CommitRecorder } from '../store/commitRecorder.ts';
import type { VerifiedDeliveryState } from '../webhook/verifyHeapHashMiddleware.ts';
import { ChildCache } from './childCache.ts';

/** Every series' name starts with it, the process series too. */
export const METRICS_PREFIX = 'heap_';

/** The route of a request no route took (404, or a method the path does not serve). */
export const UNMATCHED_ROUTE = 'unmatched';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** 1 ms to 60 s: a body may take up to BODY_READ_TIMEOUT_MS (default 60 s) to arrive. */
const REQUEST_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];
/** 0.1 ms to 5 s: SQLite waits at most SQLITE_BUSY_TIMEOUT_MS for a lock. */
const COMMIT_SECONDS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
/** 1 KiB to 64 MiB by fours: a 100-user page is about 4 KB, a 10,000-user page about 400 KB. */
const BODY_BYTES = Array.from({ length: 9 }, (_, power) => 1024 * 4 ** power);

export interface ServerMetricsOptions {
  /** Also the process's own series (CPU, memory, event loop, GC), prefixed alike. */
  processMetrics?: boolean;
}

export class ServerMetrics {
  readonly registry = new Registry();
  /** Give it to the segment store: each of its write transactions' duration. */
  readonly storeCommits: CommitRecorder;
  readonly #deliveries: ChildCache<Counter.Internal>;
  readonly #requests: ChildCache<Histogram.Internal<string>>;
  readonly #bodyBytes: Histogram;

  constructor(options: ServerMetricsOptions = {}) {
    const registers = [this.registry];
    const deliveries = new Counter({
      name: `${METRICS_PREFIX}deliveries_total`,
      help: 'Webhook deliveries answered, by action, result (applied, duplicate, superseded, drained, ignored, or the refusal code) and HTTP status.',
      labelNames: ['action', 'result', 'status'] as const,
      registers,
    });
    this.#deliveries = new ChildCache((action, result, status) =>
      deliveries.labels(action, result, status),
    );
    const requests = new Histogram({
      name: `${METRICS_PREFIX}http_request_duration_seconds`,
      help: 'Time from a request reaching the server to its answer being ready, by route pattern, method and HTTP status.',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: REQUEST_SECONDS,
      registers,
    });
    this.#requests = new ChildCache((route, method, status) =>
      requests.labels(route, method, status),
    );
    this.storeCommits = new Histogram({
      name: `${METRICS_PREFIX}store_commit_duration_seconds`,
      help: 'Duration of the segment store write transactions that committed (SQLite: one per group commit; PostgreSQL: one per write).',
      buckets: COMMIT_SECONDS,
      registers,
    });
    this.#bodyBytes = new Histogram({
      name: `${METRICS_PREFIX}request_body_bytes`,
      help: 'Sizes of the webhook bodies read completely, verified or not.',
      buckets: BODY_BYTES,
      registers,
    });
    if (options.processMetrics) {
      collectDefaultMetrics({ register: this.registry, prefix: METRICS_PREFIX });
    }
  }

  /** Adds the body budget's use and limit, read when scraped (nothing is done per request). */
  observeBodyBudget(budget: InflightBodyBudget): void {
    const registers = [this.registry];
    new Gauge({
      name: `${METRICS_PREFIX}inflight_body_bytes`,
      help: 'Body bytes held in memory now by the requests being read and handled.',
      registers,
      collect() {
        this.set(budget.inUse);
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}inflight_body_limit_bytes`,
      help: 'Body bytes all requests together may hold (MAX_INFLIGHT_BODY_BYTES); beyond it 503.',
      registers,
    }).set(budget.maxBytes);
  }

  /** First in the chain: times every request and counts every delivery by its final answer. */
  middleware(): Middleware<Partial<VerifiedDeliveryState>> {
    return async (ctx, next) => {
      const started = performance.now();
      try {
        await next();
      } finally {
        const route = (ctx as { _matchedRoute?: unknown })._matchedRoute;
        this.#requests
          .get(
            typeof route === 'string' ? route : UNMATCHED_ROUTE,
            METHODS.has(ctx.method) ? ctx.method : 'other',
            ctx.status,
          )
          .observe((performance.now() - started) / 1000);
        const { action, bodyBytes } = ctx.state;
        if (action !== undefined) {
          this.#deliveries.get(action, ctx.state.outcome ?? 'error', ctx.status).inc();
          if (bodyBytes !== undefined) this.#bodyBytes.observe(bodyBytes);
        }
      }
    };
  }
}
