// Used OAuth states live in the store: a flow started before a restart (or on another instance)
// finishes after it, and a replayed callback is refused after a restart as before it.
import test from 'ava';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { OAuthConfig } from '../src/config/serverConfig.ts';
import { createLogger } from '../src/log/createLogger.ts';
import { heapPartnerClient } from '../src/oauth/heapPartnerClient.ts';
import { startServer, type RunningServer } from '../src/startServer.ts';
import { openStore } from '../src/store/openStore.ts';
import { DEFAULT_TOLERANCE } from '../../spec/src/index.ts';
import { freePort } from '../../support/src/freePort.ts';
import { TestBrowser } from '../../support/testing/testBrowser.ts';

const HEAP = 'https://heap.test';
const heap = setupServer(
  http.post(`${HEAP}/api/partner/oauth/token`, () =>
    HttpResponse.json({
      access_token: 'access-0123456789',
      id_token: 'id-1',
      token_type: 'bearer',
    }),
  ),
  http.get(`${HEAP}/api/partner/v1/metadata/:idToken`, () =>
    HttpResponse.json({
      env_id: '1',
      partner_app_id: '4',
      authorized_by: 'pam@example.co',
      authorized_scope: 'segment',
      authorized_at_utc: '2022-01-18T17:37:30.119148Z',
    }),
  ),
);
test.before(() => heap.listen({ onUnhandledRequest: 'bypass' }));
test.after.always(() => heap.close());

/** One server process's worth: its own store connections on the shared database file. */
async function startInstance(databaseUrl: string, port: number): Promise<RunningServer> {
  const stores = await openStore(databaseUrl);
  if (!stores.ok) throw new Error(stores.error);
  const config: OAuthConfig = {
    clientId: 'test-client',
    clientSecret: 'test-client-secret',
    redirectUri: `http://127.0.0.1:${port}/api/oauth_redirect`,
    heapBaseUrl: HEAP,
    tokenKey: Buffer.alloc(32, 7),
    cookieSecret: 'test-cookie-secret-0123456789',
    usingDevCredentials: false,
  };
  return startServer({
    host: '127.0.0.1',
    port,
    store: stores.segments,
    logger: createLogger('silent'),
    webhookSecrets: ['s'],
    tolerance: DEFAULT_TOLERANCE,
    bodyLimitBytes: 1024 * 1024,
    unknownActions: 'accept',
    adminToken: null,
    oauth: {
      config,
      connections: stores.connections,
      stateStore: stores.oauthStates,
      heap: heapPartnerClient(HEAP),
      unknownAccounts: 'accept',
    },
  });
}

test('a flow started before a restart finishes after it, and its replay is refused after another', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oauth-restart-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const databaseUrl = `sqlite:${path.join(dir, 'partner.db')}`;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const browser = new TestBrowser();

  const first = await startInstance(databaseUrl, port);
  const hop = await browser.go(`${origin}/api/authorize`, { method: 'POST', form: {} });
  const state = new URL(hop.location!).searchParams.get('state')!;
  const cookies = new Map(browser.cookiesFor(`127.0.0.1:${port}`));
  await first.close();

  const second = await startInstance(databaseUrl, port);
  const done = await browser.go(`${origin}/api/oauth_redirect?code=c&state=${state}`);
  t.is(done.status, 303);
  t.is(done.location, `${origin}/api/oauth_redirect/connected`);
  await second.close();

  const third = await startInstance(databaseUrl, port);
  t.teardown(() => third.close());
  t.regex((await browser.go(done.location!)).body, /Heap connected/);
  // Replayed with the captured state cookies, not as the browser that completed the flow.
  const jar = browser.cookiesFor(`127.0.0.1:${port}`);
  jar.clear();
  for (const [name, value] of cookies) jar.set(name, value);
  const replay = await browser.go(`${origin}/api/oauth_redirect?code=c&state=${state}`);
  t.is(replay.status, 400);
  t.regex(replay.body, /already completed/);
});
