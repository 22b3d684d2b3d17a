// Koa adapter of the signature check: checks the Heap-Hash header before reading anything, then
// reads the raw body within its limits, verifies it, and answers 403 (or the read's failure).
import type { Context, Middleware } from 'koa';
import type { InflightBodyBudget } from '../http/inflightBodyBudget.ts';
import { readRawBody } from '../http/readRawBody.ts';
import { verifyHeapHash, type Tolerance } from '../../../spec/src/index.ts';
import { checkHeapHashHeader } from './checkHeapHashHeader.ts';
import type { DeliveryAction } from './handleDelivery.ts';

export interface VerifyHeapHashOptions {
  secrets: readonly string[];
  tolerance: Tolerance;
  bodyLimitBytes: number;
  /** How long the whole body may take to arrive. */
  bodyReadTimeoutMs: number;
  /** Body bytes all requests together may hold in memory. */
  bodyBudget: InflightBodyBudget;
  /** The clock, ms since the epoch. */
  now: () => number;
}

/** State the middleware leaves for the handlers after it (and for the metrics). */
export interface VerifiedDeliveryState {
  rawBody: Buffer;
  outcome?: string;
  /** Set on every delivery: `unknown` until the handler knows better. */
  action?: DeliveryAction;
  /** The size of the body, once it was read completely. */
  bodyBytes?: number;
}

/** Seconds a refused-for-load delivery should wait: Heap retries every non-2xx answer anyway. */
const BUSY_RETRY_AFTER_SECONDS = 5;

function refuseUnread(ctx: Context, status: number, error: string, message: string): void {
  ctx.status = status;
  ctx.body = { error, message };
  ctx.state.outcome = error;
  // The body was not (completely) read: close the connection rather than read the rest of it.
  ctx.set('Connection', 'close');
  if (status === 503) ctx.set('Retry-After', String(BUSY_RETRY_AFTER_SECONDS));
}

export function verifyHeapHashMiddleware(
  options: VerifyHeapHashOptions,
): Middleware<VerifiedDeliveryState> {
  return async (ctx, next) => {
    ctx.state.action = 'unknown';
    // The timestamp is judged against when the request arrived, not when its last byte did, so a
    // large page on a slow link is not refused for the time its upload took.
    const arrivedAt = options.now();
    const header = ctx.get('heap-hash') || undefined;
    const early = checkHeapHashHeader(header, arrivedAt, options.tolerance);
    if (!early.ok) return refuseUnread(ctx, 403, early.code, early.message);

    const body = await readRawBody(ctx.req, {
      limitBytes: options.bodyLimitBytes,
      timeoutMs: options.bodyReadTimeoutMs,
      budget: options.bodyBudget,
    });
    if (!body.ok) return refuseUnread(ctx, body.status, body.error, body.message);
    ctx.state.bodyBytes = body.bytes.length;
    try {
      const verification = verifyHeapHash({
        rawBody: body.bytes,
        header,
        secrets: options.secrets,
        now: arrivedAt,
        tolerance: options.tolerance,
      });
      if (!verification.ok) {
        ctx.status = 403;
        ctx.body = { error: verification.code, message: verification.message };
        ctx.state.outcome = verification.code;
        return;
      }
      ctx.state.rawBody = body.bytes;
      await next();
    } finally {
      body.release();
    }
  };
}
