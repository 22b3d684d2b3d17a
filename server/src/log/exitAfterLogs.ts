// Ends the process once its log lines are written, or given up on: a stdout whose reader has gone
// must never keep a stopping server alive.
import pino, { type Logger } from 'pino';

/** How long the last log lines may take to be written before they are dropped. */
const LOG_FLUSH_LIMIT_MS = 1_000;

interface LogStream extends NodeJS.EventEmitter {
  end(): void;
  flushSync?: () => void;
}

/**
 * Ends the log stream, waits until it closes (or fails, or the time limit passes), then exits.
 * pino otherwise flushes its buffer synchronously from an exit handler, and sonic-boom retries a
 * write to a broken pipe (EPIPE) forever there, where no signal handler can run any more: the
 * process would then stop only on SIGKILL.
 */
export async function exitAfterLogs(logger: Logger, code: number): Promise<never> {
  const stream = (logger as unknown as Record<symbol, LogStream>)[pino.symbols.streamSym];
  if (stream && typeof stream.end === 'function') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, LOG_FLUSH_LIMIT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      stream.once('close', done);
      stream.once('error', done);
      try {
        stream.end();
      } catch {
        done();
      }
    });
    // Whatever could not be written in time is dropped rather than retried at exit.
    stream.flushSync = () => {};
  }
  process.exit(code);
}
