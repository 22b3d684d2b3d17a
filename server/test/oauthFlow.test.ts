// The OAuth handlers over real HTTP, with msw standing in for Heap: every failure gives a clear
// page and stores nothing; success stores the connection with the token encrypted.
// Serial: msw handlers are process-wide, so tests that install different Heap answers cannot overlap.
import test from 'ava';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { readFile } from 'node:fs/promises';
import type { OAuthConfig } from '../src/config/serverConfig.ts';
import { STATE_TTL_MS } from '../src/oauth/oauthState.ts';
import { decryptToken } from '../src/oauth/tokenCipher.ts';
import { SqliteConnectionStore } from '../src/store/sqlite/sqliteConnectionStore.ts';
import { bodyBytes, signedDelivery, syncPagePayload } from '../../spec/src/index.ts';
import { postDelivery } from '../../support/testing/postDelivery.ts';
import { TestBrowser } from '../../support/testing/testBrowser.ts';
import { startTestServer, TEST_SECRET, type TestServer } from './helpers/testServer.ts';

const HEAP = 'https://heap.test';
const ACCESS_TOKEN = 'heap-access-token-0123456789abcdef';
const ID_TOKEN = '0b4f5d2e-1111-4222-8333-944455556666';
const heap = setupServer();

test.before(() => heap.listen({ onUnhandledRequest: 'bypass' }));
test.afterEach.always(() => heap.resetHandlers());
test.after.always(() => heap.close());

interface FlowServer extends TestServer {
  connections: SqliteConnectionStore;
  redirectUri: string;
  clock: { now: number };
}

async function startFlowServer(
  t: { teardown(fn: () => Promise<void>): void },
  unknownAccounts: 'accept' | 'reject' = 'accept',
): Promise<FlowServer> {
  const clock = { now: Date.now() };
  // The redirect URI must name the server's own port, which is known once it listens: reserve one.
  const probe = await startTestServer();
  const port = new URL(probe.url).port;
  await probe.close();
  const redirectUri = `http://127.0.0.1:${port}/api/oauth_redirect`;
  const config: OAuthConfig = {
    clientId: 'test-client',
    clientSecret: 'test-client-secret',
    redirectUri,
    heapBaseUrl: HEAP,
    tokenKey: Buffer.alloc(32, 7),
    cookieSecret: 'test-cookie-secret-0123456789',
    usingDevCredentials: false,
    heapTimeoutMs: 1_000,
  };
  const server = await startTestServer(
    { port: Number(port), now: () => clock.now },
    { config, unknownAccounts },
  );
  t.teardown(() => server.close());
  return Object.assign(server, { connections: server.connections!, redirectUri, clock });
}

function heapAnswers(
  options: {
    token?: () => Response | Promise<Response>;
    metadata?: () => Response;
    seen?: { tokenBody?: unknown; authorization?: string | null };
  } = {},
) {
  heap.use(
    http.post(`${HEAP}/api/partner/oauth/token`, async ({ request }) => {
      if (options.seen) options.seen.tokenBody = await request.json();
      return (
        options.token?.() ??
        HttpResponse.json({ access_token: ACCESS_TOKEN, id_token: ID_TOKEN, token_type: 'bearer' })
      );
    }),
    http.get(`${HEAP}/api/partner/v1/metadata/:idToken`, ({ request }) => {
      if (options.seen) options.seen.authorization = request.headers.get('authorization');
      return (
        options.metadata?.() ??
        HttpResponse.json({
          env_id: '2544353',
          partner_app_id: '4',
          authorized_by: '<script>alert("pam")</script>@example.co',
          authorized_scope: 'segment',
          authorized_at_utc: '2022-01-18T17:37:30.119148Z',
        })
      );
    }),
  );
}

const decodeBase64url = (text: string) => Buffer.from(text, 'base64url').toString('utf8');

/** Starts the flow in a browser and returns the state Heap would send back. */
async function startFlow(server: FlowServer, browser: TestBrowser): Promise<string> {
  const hop = await browser.go(`${server.url}/api/authorize`, { method: 'POST', form: {} });
  if (hop.status !== 302 || !hop.location) throw new Error(`authorize answered ${hop.status}`);
  const target = new URL(hop.location);
  return target.searchParams.get('state')!;
}

test.serial(
  'POST /api/authorize redirects to Heap with every parameter and a state bound by a signed HttpOnly cookie',
  async (t) => {
    const server = await startFlowServer(t);
    const browser = new TestBrowser();
    const hop = await browser.go(`${server.url}/api/authorize`, { method: 'POST', form: {} });
    t.is(hop.status, 302);
    const target = new URL(hop.location!);
    t.is(`${target.origin}${target.pathname}`, `${HEAP}/api/partner/oauth/authorize`);
    t.like(Object.fromEntries(target.searchParams), {
      client_id: 'test-client',
      response_type: 'code',
      redirect_uri: server.redirectUri,
      scope: 'segment',
    });
    t.regex(target.searchParams.get('state')!, /^[\w-]{32}$/);
    const jar = browser.cookiesFor(new URL(server.url).host);
    t.true(jar.has('heap_oauth_state') && jar.has('heap_oauth_state.sig'));
    t.is((await browser.go(`${server.url}/api/authorize`)).status, 302, 'GET works too');
  },
);

test.serial(
  'a successful return stores the connection with the token encrypted and shows an escaped page',
  async (t) => {
    const server = await startFlowServer(t);
    const seen: { tokenBody?: unknown; authorization?: string | null } = {};
    heapAnswers({ seen });
    const browser = new TestBrowser();
    const state = await startFlow(server, browser);
    // Once handled, the browser is sent on to an address without the code and state.
    const handled = await browser.go(`${server.redirectUri}?code=the-code&state=${state}`);
    t.is(handled.status, 303);
    t.is(handled.location, `${server.redirectUri}/connected`);
    const page = await browser.go(handled.location!);
    t.is(page.status, 200);
    t.regex(page.body, /Heap connected/);
    // Real Heap has no Developer Hub at its base URL: only the local mock's is linked.
    t.false(page.body.includes('Developer Hub'));
    t.regex(page.body, /Send a sample sync: <code>npm run send -- sync<\/code>/);
    t.regex(page.body, /&lt;script&gt;alert\(&quot;pam&quot;\)&lt;\/script&gt;@example\.co/);
    t.false(page.body.includes('<script>'));
    t.false(page.body.includes(ACCESS_TOKEN));
    // The id_token names the account in every webhook: neither the page nor a cookie shows it,
    // however encoded.
    const cookies = [...browser.cookiesFor(new URL(server.url).host).values()];
    for (const text of [page.body, ...cookies, ...cookies.map(decodeBase64url)]) {
      t.false(text.includes(ID_TOKEN));
    }
    t.deepEqual(seen.tokenBody, {
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: server.redirectUri,
      client_id: 'test-client',
      client_secret: 'test-client-secret',
    });
    t.is(seen.authorization, `Bearer ${ACCESS_TOKEN}`);
    const [connection] = await server.connections.listConnections();
    t.like(connection, {
      id_token: ID_TOKEN,
      env_id: '2544353',
      authorized_at: '2022-01-18T17:37:30.119Z',
    });
    t.false(JSON.stringify(connection).includes(ACCESS_TOKEN));
    const database = await readFile(server.dbFile);
    const wal = await readFile(`${server.dbFile}-wal`).catch(() => Buffer.alloc(0));
    t.false(
      database.includes(ACCESS_TOKEN) || wal.includes(ACCESS_TOKEN),
      'the token is not stored in clear',
    );
    t.false(server.logs.join('').includes(ACCESS_TOKEN));
  },
);

test.serial('the stored token decrypts with the key, and only with it', async (t) => {
  const { encryptToken } = await import('../src/oauth/tokenCipher.ts');
  const sealed = encryptToken(Buffer.alloc(32, 7), ACCESS_TOKEN);
  t.is(decryptToken(Buffer.alloc(32, 7), sealed), ACCESS_TOKEN);
  t.throws(() => decryptToken(Buffer.alloc(32, 8), sealed));
});

test.serial(
  'reloading the success page shows the connection again, without a second code exchange',
  async (t) => {
    const server = await startFlowServer(t);
    let exchanges = 0;
    heapAnswers({
      token: () => {
        exchanges += 1;
        return HttpResponse.json({
          access_token: ACCESS_TOKEN,
          id_token: ID_TOKEN,
          token_type: 'bearer',
        });
      },
    });
    const browser = new TestBrowser();
    const state = await startFlow(server, browser);
    const callback = `${server.redirectUri}?code=the-code&state=${state}`;
    t.is((await browser.go(callback)).status, 303);
    const reload = await browser.follow(callback);
    t.is(reload.status, 200);
    t.regex(reload.body, /Heap connected/);
    t.regex(reload.body, /<dd>2544353<\/dd>/);
    t.false(reload.body.includes(ACCESS_TOKEN));
    t.is(exchanges, 1);

    // Another attempt's state, or a forged proof, shows nothing.
    const other = await browser.go(`${server.redirectUri}?code=the-code&state=another-state`);
    t.is(other.status, 400);
    t.is((await browser.go(`${server.redirectUri}/connected`)).status, 200);
    browser.cookiesFor(new URL(server.url).host).set('heap_oauth_connected', 'forged');
    t.is((await browser.go(callback)).status, 400);
    const forged = await browser.go(`${server.redirectUri}/connected`);
    t.is(forged.status, 404);
    t.regex(forged.body, /No connection to show/);
  },
);

const heapFailures: [
  string,
  { answers: Parameters<typeof heapAnswers>[0]; status: number; want: RegExp },
][] = [
  [
    'a refused code',
    {
      answers: {
        token: () =>
          HttpResponse.json(
            { error: 'invalid_grant', error_description: 'code <b>expired</b>' },
            { status: 400 },
          ),
      },
      status: 400,
      want: /invalid_grant: code &lt;b&gt;expired&lt;\/b&gt;/,
    },
  ],
  [
    'a refused client',
    {
      answers: { token: () => HttpResponse.json({ error: 'invalid_client' }, { status: 401 }) },
      status: 424,
      want: /Heap answered 401: invalid_client/,
    },
  ],
  [
    'a token that is not a bearer token',
    {
      answers: {
        token: () =>
          HttpResponse.json({ access_token: ACCESS_TOKEN, id_token: ID_TOKEN, token_type: 'mac' }),
      },
      status: 424,
      want: /not a bearer token/,
    },
  ],
  [
    'a metadata 401',
    {
      answers: { metadata: () => HttpResponse.json({ error: 'unauthorized' }, { status: 401 }) },
      status: 424,
      want: /reading the connection metadata[\s\S]*Heap answered 401/,
    },
  ],
  [
    'Heap unreachable',
    {
      answers: { token: () => HttpResponse.error() },
      status: 424,
      want: /Heap could not be reached at https:\/\/heap\.test/,
    },
  ],
  [
    'Heap answering 503',
    {
      answers: { token: () => HttpResponse.json({ error: 'unavailable' }, { status: 503 }) },
      status: 424,
      want: /Heap answered 503/,
    },
  ],
  [
    'Heap silent past HEAP_TIMEOUT_MS',
    {
      answers: {
        token: async () => {
          await delay('infinite');
          return HttpResponse.json({});
        },
      },
      status: 424,
      want: /Heap did not answer within 1000 ms/,
    },
  ],
];

for (const [name, { answers, status, want }] of heapFailures) {
  test.serial(`${name}: a clear page, nothing stored`, async (t) => {
    const server = await startFlowServer(t);
    heapAnswers(answers);
    const browser = new TestBrowser();
    const state = await startFlow(server, browser);
    const page = await browser.go(`${server.redirectUri}?code=c&state=${state}`);
    t.is(page.status, status);
    t.regex(page.body, want);
    t.regex(page.body, /Nothing was stored/);
    t.false(page.body.includes(ACCESS_TOKEN));
    t.deepEqual(await server.connections.listConnections(), []);
  });
}

test.serial(
  'state problems: no cookie, another state, a replay, an expired attempt, a Heap error',
  async (t) => {
    const server = await startFlowServer(t);
    heapAnswers();
    const stranger = new TestBrowser();
    t.regex((await stranger.go(`${server.redirectUri}?code=c&state=abc`)).body, /no state cookie/);

    const browser = new TestBrowser();
    await startFlow(server, browser);
    const mismatch = await browser.go(`${server.redirectUri}?code=c&state=not-the-state`);
    t.is(mismatch.status, 400);
    t.regex(mismatch.body, /does not belong to this browser/);

    const replayer = new TestBrowser();
    const state = await startFlow(server, replayer);
    const cookies = new Map(replayer.cookiesFor(new URL(server.url).host));
    t.is((await replayer.go(`${server.redirectUri}?code=c&state=${state}`)).status, 303);
    // The replay comes with the captured state cookies, not as the browser that completed it.
    const jar = replayer.cookiesFor(new URL(server.url).host);
    jar.clear();
    for (const [name, value] of cookies) jar.set(name, value);
    const replay = await replayer.go(`${server.redirectUri}?code=c&state=${state}`);
    t.is(replay.status, 400);
    t.regex(replay.body, /already completed/);

    const slow = new TestBrowser();
    const late = await startFlow(server, slow);
    server.clock.now += STATE_TTL_MS + 1000;
    t.regex((await slow.go(`${server.redirectUri}?code=c&state=${late}`)).body, /expired/);

    const denied = new TestBrowser();
    const deniedState = await startFlow(server, denied);
    const page = await denied.go(`${server.redirectUri}?error=access_denied&state=${deniedState}`);
    t.is(page.status, 400);
    t.regex(page.body, /Heap did not authorize the connection[\s\S]*access_denied/);
    t.is(
      (await server.connections.listConnections()).length,
      1,
      'only the one completed flow stored',
    );
  },
);

test.serial(
  'authorize on another host than the redirect URI first moves the browser there',
  async (t) => {
    const server = await startFlowServer(t);
    const other = server.url.replace('127.0.0.1', 'localhost');
    const hop = await new TestBrowser().go(`${other}/api/authorize`);
    t.is(hop.status, 302);
    t.is(hop.location, new URL('/api/authorize', server.redirectUri).toString());
  },
);

test.serial(
  'the connect page has the button, and deliveries for unconnected accounts follow the setting',
  async (t) => {
    const accepting = await startFlowServer(t);
    const connectPage = await new TestBrowser().go(`${accepting.url}/`);
    t.regex(
      connectPage.body,
      /<form method="post" action="\/api\/authorize"><button type="submit">Connect Heap<\/button>/,
    );
    const rejecting = await startFlowServer(t, 'reject');
    const body = bodyBytes(
      syncPagePayload({
        idToken: 'nobody',
        segment: { id: 1, name: 's' },
        syncTaskId: 't',
        pageNumber: 1,
        totalPages: 1,
        add: ['a'],
      }),
    );
    const accepted = await postDelivery(
      signedDelivery({
        url: `${accepting.url}/users_sync`,
        body,
        secret: TEST_SECRET,
        timestamp: Date.now(),
      }),
    );
    t.is(accepted.ok && accepted.status, 200);
    t.regex(accepted.ok ? accepted.responseBody : '', /"connected":false/);
    const refused = await postDelivery(
      signedDelivery({
        url: `${rejecting.url}/users_sync`,
        body,
        secret: TEST_SECRET,
        timestamp: Date.now(),
      }),
    );
    t.is(refused.ok && refused.status, 403);
    t.regex(refused.ok ? refused.responseBody : '', /unknown_account/);
  },
);
