// The reference server's public entry: what the suite, the entry points and other rooms may use.
// Everything else under server/src is the server's own business.
export { devDefaults, HEAP_PRODUCTION_HOST } from './config/devDefaults.ts';
export { parseServerConfig, type ServerConfig } from './config/serverConfig.ts';
export { createLogger, type Logger } from './log/createLogger.ts';
export { LISTENING_MESSAGE, SERVER_LISTENING } from './log/listeningLine.ts';
export { openStore, type Stores } from './store/openStore.ts';
export { startServer, type RunningServer, type StartServerOptions } from './startServer.ts';
export {
  startReferenceServer,
  type ReferenceServer,
  type ReferenceServerOptions,
} from './startReferenceServer.ts';
export { webhookPaths } from './webhook/webhookRouter.ts';
