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

/** Where log lines go by default: pino-pretty for a person at a terminal, JSON for everything else. */
export function stdoutDestination(isTerminal = process.stdout.isTTY === true): DestinationStream {
  if (!isTerminal) return pino.destination({ dest: 1, sync: false });
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
