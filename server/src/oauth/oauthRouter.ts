// The OAuth connect flow: the connect page, the redirect to Heap, and the return from Heap that
// exchanges the code, checks the token, reads the metadata and stores the connection.
import { createHash } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { OAuthConfig } from '../config/serverConfig.ts';
import type { Logger } from '../log/createLogger.ts';
import type { ConnectionStore } from '../store/connectionStore.ts';
import { MemoryOAuthStateStore } from '../store/memoryOAuthStateStore.ts';
import type { OAuthStateStore } from '../store/oauthStateStore.ts';
import type { HeapCallFailure, HeapPartnerClient } from './heapPartnerClient.ts';
import { OAuthStates, STATE_COOKIE, STATE_TTL_MS } from './oauthState.ts';
import { connectedPage, connectPage, failurePage } from './pages.ts';
import { encryptToken } from './tokenCipher.ts';

export interface OAuthRouterOptions {
  config: OAuthConfig;
  connections: ConnectionStore;
  heap: HeapPartnerClient;
  logger: Logger;
  /** Where used states are recorded; in memory when not given (one process, no restarts). */
  stateStore?: OAuthStateStore;
  now?: () => number;
}

/** Only the local mock Heap (on a loopback address) serves a Developer Hub at /hub. */
function developerHubUrl(heapBaseUrl: string): string | null {
  const host = new URL(heapBaseUrl).hostname;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(host) ? `${heapBaseUrl}/hub` : null;
}

const STATE_PROBLEMS = {
  missing:
    'This page was opened without a connection attempt from this browser (no state, or no state cookie).',
  mismatch:
    'The state Heap sent back does not belong to this browser. Start the connection again from this site.',
  expired: 'The connection attempt took too long and expired. Start again.',
  replayed: 'This connection attempt was already completed. Start again to connect another time.',
} as const;

/**
 * Remembers, in the browser that completed a connection, which state it completed and for which
 * account, so that reloading the success page shows it again instead of a refused replay. The
 * account is named by a digest of its id_token: the id_token itself never reaches the browser.
 */
const CONNECTED_COOKIE = 'heap_oauth_connected';

const accountDigest = (idToken: string) => createHash('sha256').update(idToken).digest('base64url');

const isoOrUnknown = (date: Date) =>
  Number.isNaN(date.getTime()) ? 'unknown' : date.toISOString();

function page(ctx: Context, status: number, html: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = html;
}

/**
 * The status of a page saying Heap failed (refused the client, answered 5xx or nothing in time):
 * 424 Failed Dependency. The page is for a person, who can start again; a 5xx would say this
 * server broke, and is what the connect-flow conformance run takes for a crash.
 */
const HEAP_FAILED = 424;

function heapFailurePage(ctx: Context, failure: HeapCallFailure, step: string): void {
  // A refused code is the browser's attempt going wrong (start again); anything else is Heap or
  // this server's configuration.
  const status = failure.oauthError === 'invalid_grant' ? 400 : HEAP_FAILED;
  page(
    ctx,
    status,
    failurePage(`Heap connection failed while ${step}`, `${failure.message}. Nothing was stored.`),
  );
}

export function oauthRouter(options: OAuthRouterOptions): Router {
  const router = new Router();
  const states = new OAuthStates(options.stateStore ?? new MemoryOAuthStateStore(), options.now);
  const redirect = new URL(options.config.redirectUri);

  router.get('/', (ctx) => page(ctx, 200, connectPage()));

  const authorize = (ctx: Context) => {
    // The state cookie must be set on the host Heap sends the browser back to.
    if (ctx.host !== redirect.host) {
      ctx.redirect(new URL('/api/authorize', redirect.origin).toString());
      return;
    }
    const { state, cookieValue } = states.issue();
    // In production the cookie is Secure even if this hop is plain HTTP (a proxy not trusted yet):
    // a browser then refuses it over HTTP, which fails safe instead of exposing the state.
    const secure = ctx.secure || options.config.alwaysSecureCookies === true;
    if (secure) ctx.cookies.secure = true;
    ctx.cookies.set(STATE_COOKIE, cookieValue, {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: redirect.pathname,
      maxAge: STATE_TTL_MS,
      overwrite: true,
    });
    const target = new URL('/api/partner/oauth/authorize', options.config.heapBaseUrl);
    target.search = new URLSearchParams({
      client_id: options.config.clientId,
      state,
      response_type: 'code',
      redirect_uri: options.config.redirectUri,
      scope: 'segment',
    }).toString();
    ctx.redirect(target.toString());
  };
  router.get('/api/authorize', authorize);
  router.post('/api/authorize', authorize);

  /**
   * Where the browser is sent once the callback is handled: an address without the code and state
   * (RFC 6749 §3.1.2.5), under the redirect path so that the cookie scoped to it reaches it.
   */
  const connectedPath = `${redirect.pathname.replace(/\/+$/, '')}/connected`;

  /**
   * The success page of the connection this browser completed, or null; with `state`, only when
   * it completed the flow of that state.
   */
  async function completedConnection(ctx: Context, state?: string): Promise<string | null> {
    const remembered = ctx.cookies.get(CONNECTED_COOKIE, { signed: true });
    if (!remembered) return null;
    let completed: unknown;
    try {
      completed = JSON.parse(Buffer.from(remembered, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (!Array.isArray(completed) || (state !== undefined && completed[0] !== state)) return null;
    const connection = (await options.connections.listConnections()).find(
      (each) => accountDigest(each.id_token) === completed[1],
    );
    if (!connection) return null;
    return connectedPage({
      envId: connection.env_id,
      authorizedBy: connection.authorized_by,
      authorizedAt: connection.authorized_at,
      developerHubUrl: developerHubUrl(options.config.heapBaseUrl),
    });
  }

  router.get(redirect.pathname, async (ctx) => {
    const cookie = ctx.cookies.get(STATE_COOKIE, { signed: true });
    ctx.cookies.set(STATE_COOKIE, null, { path: redirect.pathname, signed: true });
    const query = (name: string) =>
      typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : undefined;
    const checked = await states.consume(query('state'), cookie);
    // A reload of the success page: the state is spent (and its cookie gone), but this browser
    // holds the signed proof that it completed exactly this attempt.
    const state = query('state');
    if (!checked.ok && state && (await completedConnection(ctx, state))) {
      return seeConnected(ctx);
    }
    if (!checked.ok) {
      options.logger.warn({ reason: checked.reason }, 'oauth state refused');
      return page(
        ctx,
        400,
        failurePage('This connection attempt is not valid', STATE_PROBLEMS[checked.reason]),
      );
    }
    const heapError = query('error');
    if (heapError) {
      return page(
        ctx,
        400,
        failurePage(
          'Heap did not authorize the connection',
          `Heap answered: ${heapError}. Nothing was stored.`,
        ),
      );
    }
    const code = query('code');
    if (!code)
      return page(
        ctx,
        400,
        failurePage('Heap did not send a code', 'The redirect from Heap has no code. Start again.'),
      );

    const token = await options.heap.exchangeCode({
      code,
      redirectUri: options.config.redirectUri,
      clientId: options.config.clientId,
      clientSecret: options.config.clientSecret,
    });
    if (!token.ok) return heapFailurePage(ctx, token, 'exchanging the authorization code');
    if (token.value.tokenType?.toLowerCase() !== 'bearer') {
      return page(
        ctx,
        HEAP_FAILED,
        failurePage(
          'Heap connection failed',
          `Heap returned a token of type "${token.value.tokenType}", not a bearer token. Nothing was stored.`,
        ),
      );
    }
    const metadata = await options.heap.metadata(token.value.idToken, token.value.accessToken);
    if (!metadata.ok) return heapFailurePage(ctx, metadata, 'reading the connection metadata');

    await options.connections.saveConnection({
      idToken: token.value.idToken,
      envId: metadata.value.envId,
      authorizedBy: metadata.value.authorizedBy,
      authorizedAt: isoOrUnknown(metadata.value.authorizedAtUtc),
      sealedAccessToken: encryptToken(options.config.tokenKey, token.value.accessToken),
      connectedAt: new Date(options.now?.() ?? Date.now()),
    });
    options.logger.info(
      { idToken: token.value.idToken, envId: metadata.value.envId },
      'heap account connected',
    );
    ctx.cookies.set(
      CONNECTED_COOKIE,
      Buffer.from(JSON.stringify([query('state'), accountDigest(token.value.idToken)])).toString(
        'base64url',
      ),
      {
        signed: true,
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.secure || options.config.alwaysSecureCookies === true,
        path: redirect.pathname,
        maxAge: STATE_TTL_MS,
        overwrite: true,
      },
    );
    return seeConnected(ctx);
  });
  router.get(connectedPath, async (ctx) => {
    const shown = await completedConnection(ctx);
    if (shown) return page(ctx, 200, shown);
    return page(
      ctx,
      404,
      failurePage(
        'No connection to show',
        'This browser has not completed a connection recently. Start again to connect Heap.',
      ),
    );
  });

  /** 303 to the success page, so the address the browser keeps holds no code or state. */
  function seeConnected(ctx: Context): void {
    ctx.redirect(connectedPath);
    ctx.status = 303;
    ctx.set('Cache-Control', 'no-store');
  }
  return router;
}
