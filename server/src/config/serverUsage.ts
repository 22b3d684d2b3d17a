// `npm run server -- --help`: what the server reads; it takes no flags, only the environment.
import { invokedAsInstalled } from '../../../support/src/commandLine.ts';

export const serverUsage = `Usage: ${invokedAsInstalled() ? 'heap-sync server' : 'npm run server'}

Starts the reference partner server. It takes no flags: it is configured from the environment or
.env (docs/reference-server.md describes each setting).

  PORT, HOST                      where to listen (default 127.0.0.1:3000)
  WEBHOOK_SECRET                  secret(s) deliveries are verified with, comma-separated
  DATABASE_URL                    the store (default sqlite:./data/partner.db)
  ADMIN_TOKEN                     enables the read-only inspection API under /admin and /metrics
  CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, HEAP_BASE_URL or HEAP_SERVER,
  TOKEN_ENCRYPTION_KEY, COOKIE_SECRET, HEAP_TIMEOUT_MS   the OAuth connect flow
  SIGNATURE_TOLERANCE_PAST_MS, SIGNATURE_TOLERANCE_FUTURE_MS, BODY_LIMIT,
  UNKNOWN_ACTIONS, UNKNOWN_ACCOUNTS, SQLITE_SYNCHRONOUS, LOG_LEVEL, NODE_ENV

  -h, --help   this help`;
