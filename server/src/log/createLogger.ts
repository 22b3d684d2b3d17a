// Structured JSON logs (pino). Secrets never reach a log line: the headers that carry them are
// redacted wherever they appear, and bodies are never logged.
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

export function createLogger(
  level: string,
  destination: DestinationStream = pino.destination({ dest: 1, sync: false }),
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
