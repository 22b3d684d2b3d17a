// Starts the reference server on a port and stops it gracefully: stop accepting, let in-flight
// requests finish, then close the store.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions } from './app.ts';

export interface StartServerOptions extends AppOptions {
  host: string;
  port: number;
  /** How long in-flight requests may take to finish at shutdown before their sockets are closed. */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  port: number;
  /** Stops the server and closes the store. Safe to call more than once. */
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const app = createApp(options);
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(
          () => server.closeAllConnections(),
          options.shutdownGraceMs ?? 10_000,
        );
        await stopped;
        clearTimeout(grace);
        await options.store.close();
        await options.oauth?.connections.close();
        await options.oauth?.stateStore?.close();
      })();
      return closing;
    },
  };
}
