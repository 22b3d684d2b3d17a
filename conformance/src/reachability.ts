// Checks that a URL's host accepts TCP connections before the suite starts sending to it.
import net from 'node:net';

/** Null when a connection opened, else why not (one short phrase). */
export function unreachableReason(url: string, timeoutMs: number): Promise<string | null> {
  const target = new URL(url);
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (reason: string | null) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(`no connection within ${timeoutMs} ms`));
    socket.once('connect', () => done(null));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const reasons: Record<string, string> = {
        ECONNREFUSED: 'connection refused (is the server running?)',
        ENOTFOUND: 'host not found',
        EAI_AGAIN: 'host name could not be resolved',
        EHOSTUNREACH: 'host unreachable',
      };
      done(reasons[error.code ?? ''] ?? error.message);
    });
  });
}
