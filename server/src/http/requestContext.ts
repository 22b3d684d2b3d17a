// Gives every request an id, logs one line when it ends, and turns unexpected
// errors into a 500 without details (they are logged, never sent).
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../log/createLogger.ts';

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
      if (status && status >= 400 && status < 500) {
        ctx.status = status;
        ctx.body = { error: (error as Error).message };
      } else {
        logger.error({ requestId, err: error }, 'request failed');
        ctx.status = 500;
        ctx.body = { error: 'internal_error' };
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
