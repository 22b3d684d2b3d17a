// Structured logs (pino): JSON lines, or readable lines through pino-pretty when stdout is a
// terminal. Secrets never reach a log line: the headers that carry them are redacted wherever they
// appear (before any transport sees the line), and bodies are never logged.
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'headers["heap-hash"]',
  'headers.authorization',
  'headers.cookie',
  'req.headers["heap-hash"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'secret',
  'token',
  'access_token',
  'client_secret',
];

/** JSON lines are written once this many bytes are waiting, so not one write per request. */
export const LOG_BATCH_BYTES = 4_096;
/** ... or at the latest this long after they were logged. */
export const LOG_FLUSH_INTERVAL_MS = 50;

/**
 * Where log lines go by default: pino-pretty for a person at a terminal, JSON for everything else.
 * JSON lines are batched (one write per `LOG_BATCH_BYTES`, or every `LOG_FLUSH_INTERVAL_MS`); what
 * is waiting is written when the stream ends and when the process exits, so only a process killed
 * with SIGKILL loses lines, its last 50 ms at most.
 */
export function stdoutDestination(isTerminal = process.stdout.isTTY === true): DestinationStream {
  if (!isTerminal) {
    return pino.destination({
      dest: 1,
      sync: false,
      minLength: LOG_BATCH_BYTES,
      periodicFlush: LOG_FLUSH_INTERVAL_MS,
    });
  }
  return pino.transport({
    target: 'pino-pretty',
    options: { destination: 1, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' },
  }) as DestinationStream;
}

export function createLogger(
  level: string,
  destination: DestinationStream = stdoutDestination(),
): Logger {
  return pino(
    {
      level,
      base: { service: 'heap-partner-server' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
