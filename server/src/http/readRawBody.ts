// Reads a request body as the exact bytes received, within a size limit, a time limit and the
// process-wide budget of body bytes in memory. The caller gives the bytes back with `release()`.
import type { IncomingMessage } from 'node:http';
import type { InflightBodyBudget } from './inflightBodyBudget.ts';

export interface ReadRawBodyOptions {
  limitBytes: number;
  /** The whole body must arrive within this time (a slow-loris upload holds a socket otherwise). */
  timeoutMs: number;
  budget: InflightBodyBudget;
}

export type RawBodyFailure = {
  ok: false;
  status: 400 | 408 | 413 | 503;
  error: string;
  message: string;
};

export type RawBodyResult = { ok: true; bytes: Buffer; release: () => void } | RawBodyFailure;

export function readRawBody(
  request: IncomingMessage,
  options: ReadRawBodyOptions,
): Promise<RawBodyResult> {
  const declared = request.headers['content-length'];
  const declaredLength = declared === undefined ? null : Number(declared);
  if (declaredLength !== null && declaredLength > options.limitBytes) {
    return Promise.resolve(tooLarge(options.limitBytes));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let held = 0;
    let settled = false;
    const finish = (result: RawBodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('aborted', onAborted);
      request.off('close', onAborted);
      request.off('error', onAborted);
      if (!result.ok) {
        // Nothing of a refused body is kept; what is still to come is discarded by Node.
        chunks.length = 0;
        options.budget.give(held);
      }
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (held + chunk.length > options.limitBytes) return finish(tooLarge(options.limitBytes));
      if (!options.budget.tryTake(chunk.length)) {
        return finish({
          ok: false,
          status: 503,
          error: 'server_busy',
          message:
            'Too many request bodies are being received at once; nothing was applied. Retry later.',
        });
      }
      held += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (declaredLength !== null && held !== declaredLength) return finish(unreadable);
      let released = false;
      const bytes = Buffer.concat(chunks, held);
      chunks.length = 0;
      finish({
        ok: true,
        bytes,
        release: () => {
          if (!released) options.budget.give(held);
          released = true;
        },
      });
    };
    const onAborted = () => finish(unreadable);
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          status: 408,
          error: 'body_timeout',
          message: `The body did not arrive within ${options.timeoutMs} ms; nothing was applied.`,
        }),
      options.timeoutMs,
    );
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('aborted', onAborted);
    request.on('close', onAborted);
    request.on('error', onAborted);
  });
}

const tooLarge = (limitBytes: number): RawBodyFailure => ({
  ok: false,
  status: 413,
  error: 'payload_too_large',
  message: `The body is larger than the ${limitBytes} bytes this server accepts.`,
});

const unreadable: RawBodyFailure = {
  ok: false,
  status: 400,
  error: 'unreadable_body',
  message: 'The body could not be read completely (aborted, or shorter than Content-Length).',
};
