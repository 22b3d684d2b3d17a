// Security headers on every answer (helmet): the HTML pages may not be framed, sniffed, leak the
// callback URL (it carries the OAuth code) as a referrer, or load anything from elsewhere.
import helmet from 'koa-helmet';
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
  return helmet({
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
  });
}
