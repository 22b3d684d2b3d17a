// Starts the reference server on a port and stops it gracefully: stop accepting, let in-flight
// requests finish, then close the store.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions } from './app.ts';
import { DEFAULT_BODY_READ_TIMEOUT_MS } from './http/bodyLimits.ts';

/** Time for a client to send its request headers (Node's default is a minute). */
export const HEADERS_TIMEOUT_MS = 15_000;

export interface StartServerOptions extends AppOptions {
  host: string;
  port: number;
  /** How long in-flight requests may take to finish at shutdown before their sockets are closed. */
  shutdownGraceMs?: number;
  /** How long a client may take to send its request headers (default 15 s); then 408. */
  headersTimeoutMs?: number;
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
  // Node's own limits back the body read timeout up: a request must be complete within them, or
  // its socket is answered 408 and closed; they are checked every second instead of every 30.
  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const server = http.createServer(
    {
      headersTimeout,
      requestTimeout: headersTimeout + (options.bodyReadTimeoutMs ?? DEFAULT_BODY_READ_TIMEOUT_MS),
      connectionsCheckingInterval: 1_000,
    },
    app.callback(),
  );
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
        await options.accounts?.connections.close();
        await options.oauth?.connections.close();
        await options.oauth?.stateStore?.close();
      })();
      return closing;
    },
  };
}
