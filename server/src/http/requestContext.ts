// Gives every request an id, logs one line when it ends, answers a store that is locked or failing
// with 503 and Retry-After, and turns unexpected errors into a 500 that names the request id
// (details are logged, never sent).
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../log/createLogger.ts';
import { StoreUnavailableError } from '../store/storeUnavailableError.ts';

export interface RequestContextState {
  requestId: string;
  /** A short word the handlers set to say what happened (applied, signature_mismatch, ...). */
  outcome?: string;
}

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

export function requestContext(logger: Logger): Middleware<RequestContextState> {
  return async (ctx, next) => {
    const started = performance.now();
    const incoming = ctx.get('x-request-id');
    const requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } catch (error) {
      const status = (error as { status?: number; expose?: boolean }).status;
      if (error instanceof StoreUnavailableError) {
        logger.warn({ requestId, reason: error.reason, err: error.cause }, 'store unavailable');
        ctx.status = 503;
        ctx.set('Retry-After', String(error.retryAfterSeconds));
        ctx.body = {
          error: error.reason === 'locked' ? 'store_locked' : 'store_unavailable',
          message: error.message,
        };
        ctx.state.outcome = ctx.body.error as string;
      } else if (status && status >= 400 && status < 500) {
        ctx.status = status;
        ctx.body = { error: (error as Error).message };
      } else {
        logger.error({ requestId, err: error }, 'request failed');
        ctx.status = 500;
        ctx.body = {
          error: 'internal_error',
          message: `An unexpected error; nothing is known to have been applied. It is logged with request id ${requestId}.`,
          request_id: requestId,
        };
        ctx.state.outcome = 'internal_error';
      }
    }
    logger.info(
      {
        requestId,
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        outcome: ctx.state.outcome,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  };
}
