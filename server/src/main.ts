// `npm run server`: the reference partner server, configured from the environment (and .env).
import { config as loadDotenv } from 'dotenv';
import { commandLine } from '../../support/src/commandLine.ts';
import { parseServerConfig } from './config/serverConfig.ts';
import { serverUsage } from './config/serverUsage.ts';
import { createLogger } from './log/createLogger.ts';
import { exitAfterLogs } from './log/exitAfterLogs.ts';
import { LISTENING_MESSAGE } from './log/listeningLine.ts';
import { ServerMetrics } from './metrics/serverMetrics.ts';
import { databaseLabel } from './store/databaseLabel.ts';
import { openStore } from './store/openStore.ts';
import { heapPartnerClient } from './oauth/heapPartnerClient.ts';
import { startServer } from './startServer.ts';
import { webhookPaths } from './webhook/webhookRouter.ts';

const [flag] = process.argv.slice(2);
if (flag === '--help' || flag === '-h') {
  console.log(serverUsage);
  process.exit(0);
}
if (flag !== undefined) {
  console.error(
    `server: unknown argument "${flag}": the server takes no flags (${commandLine('server')} --help)`,
  );
  process.exit(2);
}
loadDotenv({ quiet: true });
const parsed = parseServerConfig(process.env);
if (!parsed.ok) {
  console.error(`server: configuration error: ${parsed.error}`);
  // 2, as for every bad setting or flag of every command.
  process.exit(2);
}
const { config } = parsed;
const logger = createLogger(config.logLevel);
// Metrics only with the inspection API: without ADMIN_TOKEN nothing is recorded.
const metrics =
  config.adminToken === null ? undefined : new ServerMetrics({ processMetrics: true });
const opened = await openStore(config.databaseUrl, {
  synchronous: config.sqliteSynchronous,
  busyTimeoutMs: config.sqliteBusyTimeoutMs,
  commitRecorder: metrics?.storeCommits,
});
if (!opened.ok) {
  console.error(`server: configuration error: ${opened.error}`);
  process.exit(1);
}

let running;
try {
  running = await startServer({
    ...config,
    store: opened.segments,
    logger,
    metrics,
    oauth: {
      config: config.oauth,
      connections: opened.connections,
      stateStore: opened.oauthStates,
      heap: heapPartnerClient(config.oauth.heapBaseUrl, fetch, {
        timeoutMs: config.oauth.heapTimeoutMs,
      }),
      unknownAccounts: config.unknownAccounts,
    },
  });
} catch (error) {
  const { code } = error as NodeJS.ErrnoException;
  const reason =
    code === 'EADDRINUSE'
      ? `port ${config.port} is already in use (set PORT)`
      : (error as Error).message;
  console.error(`server: cannot listen on ${config.host}:${config.port}: ${reason}`);
  await opened.segments.close();
  await opened.connections.close();
  await opened.oauthStates.close();
  process.exit(1);
}
const server = running;
// The first signal stops gracefully (requests in flight get the shutdown grace); a second one
// stops at once. Installed before the listening line is logged, so that a parent stopping the
// server as soon as it reads that line finds the graceful stop in place.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: stopping now');
      void exitAfterLogs(logger, 1);
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => {
        logger.info('stopped');
        void exitAfterLogs(logger, 0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        void exitAfterLogs(logger, 1);
      },
    );
  });
}
if (config.usingDevSecret) {
  logger.warn('WEBHOOK_SECRET is not set: using the development secret (never in production)');
}
if (config.oauth.usingDevCredentials) {
  logger.warn(
    'OAuth settings missing: using development defaults for CLIENT_ID, CLIENT_SECRET, TOKEN_ENCRYPTION_KEY or COOKIE_SECRET (never in production)',
  );
}
logger.info(
  {
    url: server.url,
    webhooks: Object.keys(webhookPaths).map((path) => server.url + path),
    connect: `${server.url}/`,
    heap: config.oauth.heapBaseUrl,
    inspection: config.adminToken ? `${server.url}/admin` : 'disabled (set ADMIN_TOKEN)',
    metrics: config.adminToken ? `${server.url}/metrics` : 'disabled (set ADMIN_TOKEN)',
    database: databaseLabel(config.databaseUrl),
  },
  LISTENING_MESSAGE,
);
// Log lines are batched; parents waiting for this one need not wait for the next flush.
logger.flush();
