// Koa adapter of the signature check: reads the raw body, verifies it, answers 403 on failure.
import type { Middleware } from 'koa';
import { readRawBody } from '../http/readRawBody.ts';
import { verifyHeapHash, type Tolerance } from '../../../spec/src/index.ts';

export interface VerifyHeapHashOptions {
  secrets: readonly string[];
  tolerance: Tolerance;
  bodyLimitBytes: number;
  /** The clock, ms since the epoch. */
  now: () => number;
}

/** State the middleware leaves for the handlers after it. */
export interface VerifiedDeliveryState {
  rawBody: Buffer;
  outcome?: string;
}

export function verifyHeapHashMiddleware(
  options: VerifyHeapHashOptions,
): Middleware<VerifiedDeliveryState> {
  return async (ctx, next) => {
    const body = await readRawBody(ctx.req, options.bodyLimitBytes);
    if (!body.ok) {
      ctx.status = body.status;
      ctx.body = { error: body.error, message: body.message };
      ctx.state.outcome = body.error;
      return;
    }
    const verification = verifyHeapHash({
      rawBody: body.bytes,
      header: ctx.get('heap-hash') || undefined,
      secrets: options.secrets,
      now: options.now(),
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
  };
}
