// Security headers on every answer (helmet): the HTML pages may not be framed, sniffed, leak the
// callback URL (it carries the OAuth code) as a referrer, or load anything from elsewhere.
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { Middleware } from 'koa';
import type { OAuthConfig } from '../config/serverConfig.ts';

/** `oauth` names the origins the connect form may lead to: itself, then Heap's authorize page. */
export function securityHeaders(
  oauth?: Pick<OAuthConfig, 'heapBaseUrl' | 'redirectUri'>,
): Middleware {
  // Browsers apply form-action to the redirects that follow a form post, so the origins the
  // "Connect Heap" form ends up on must be listed.
  const formTargets = oauth
    ? [new URL(oauth.redirectUri).origin, new URL(oauth.heapBaseUrl).origin]
    : [];
  const headers = helmetHeaders(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          styleSrc: ["'unsafe-inline'"],
          formAction: ["'self'", ...formTargets],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      // Set by the TLS terminator that knows the host's HTTPS policy, not by the application.
      strictTransportSecurity: false,
    }),
  );
  return async (ctx, next) => {
    for (const [name, value] of headers) ctx.res.setHeader(name, value);
    await next();
  };
}

type HelmetMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * The headers helmet sets, taken once from its middleware run against a stand-in answer: every
 * directive here is fixed (no per-request nonce), so they are the same for every request. The
 * only other thing helmet does is remove `X-Powered-By`, which neither Node.js nor Koa sets.
 */
function helmetHeaders(middleware: HelmetMiddleware): ReadonlyArray<readonly [string, string]> {
  const headers: Array<readonly [string, string]> = [];
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.push([name, String(value)]);
      return response;
    },
    removeHeader() {},
  };
  let failure: unknown = null;
  let done = false;
  middleware({} as IncomingMessage, response as unknown as ServerResponse, (error) => {
    failure = error ?? null;
    done = true;
  });
  if (!done || failure !== null) throw new Error('helmet did not set its headers at once');
  return headers;
}
