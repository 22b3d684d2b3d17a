// The OAuth connect-flow fixtures, checked on their own against a small stand-in for Heap's OAuth
// endpoints and a cookie-jar browser: each completes a genuine flow (the one whose flaw makes
// that impossible is refused by the stand-in, as Heap refuses it), and each probe below shows a
// flaw exactly in the fixtures whose expected verdict fails that case. So the expected verdicts
// describe what the apps really do, independently of the conformance run that judges them.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { components as inspection } from '../../generated/partner-inspection-api.ts';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl } from '../../support/src/spawnListening.ts';
import { CookieBrowser } from './fixtures/cookieBrowser.ts';
import { startFakeHeapOAuth, type FakeHeapOAuth } from './fixtures/fakeHeapOAuth.ts';
import { codeExchangedTwice } from './fixtures/oauth/codeExchangedTwice.ts';
import { expressPkcePartner } from './fixtures/oauth/expressPkcePartner.ts';
import { heapReferenceLikePartner } from './fixtures/oauth/heapReferenceLikePartner.ts';
import {
  correctOAuthFixtures,
  oauthCaseIds,
  oauthFixtures,
  type OAuthCaseId,
  type OAuthFixture,
  type RunningFixture,
} from './fixtures/oauth/index.ts';
import { nodeHttpPartner } from './fixtures/oauth/nodeHttpPartner.ts';
import { oauth4webapiPartner } from './fixtures/oauth/oauth4webapiPartner.ts';
import { redirectUriAltered } from './fixtures/oauth/redirectUriAltered.ts';
import { tokenInQuery } from './fixtures/oauth/tokenInQuery.ts';

type ConnectionSummary = inspection['schemas']['ConnectionSummary'];

const client = { clientId: 'smoke-client-id', clientSecret: 'smoke-client-secret-0123456789' };

interface Flow {
  heap: FakeHeapOAuth;
  app: RunningFixture;
}

async function withFixture<T>(fixture: OAuthFixture, run: (flow: Flow) => Promise<T>): Promise<T> {
  const heap = await startFakeHeapOAuth(client);
  const app = await fixture.start({ heapUrl: heap.url, ...client });
  heap.register(app.redirectUri);
  try {
    return await run({ heap, app });
  } finally {
    await app.close();
    await heap.stop();
  }
}

const isCallback = (app: RunningFixture) => (next: URL) =>
  next.toString().startsWith(app.redirectUri);
const isAuthorize = (heap: FakeHeapOAuth) => (next: URL) => next.toString().startsWith(heap.url);

/** Starts a flow in `browser` and stops at the callback address Heap redirects it to. */
async function callbackUrl(flow: Flow, browser: CookieBrowser): Promise<URL> {
  const { next } = await browser.follow(flow.app.startUrl, isCallback(flow.app));
  if (!next) throw new Error('the flow did not reach the callback');
  return next;
}

/** `GET {inspectUrl}/connections` with the app's inspection token. */
async function listConnections(app: RunningFixture, token = app.inspectToken) {
  const answer = await new CookieBrowser().open(`${app.inspectUrl}/connections`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (answer.status !== 200) throw new Error(`the inspection API answered ${answer.status}`);
  return (JSON.parse(answer.body) as { connections: ConnectionSummary[] }).connections;
}

/** The connections the app shows: through its inspection API, else 1 when its success text shows. */
async function connections(flow: Flow, browser: CookieBrowser): Promise<number> {
  if (flow.app.inspectUrl) return (await listConnections(flow.app)).length;
  const successText = flow.app.successText ?? '';
  return browser.hops.filter((hop) => hop.status === 200 && hop.body.includes(successText)).length;
}

/** Runs a whole genuine flow in a new browser. */
async function genuineFlow(flow: Flow) {
  const browser = new CookieBrowser();
  const callback = await callbackUrl(flow, browser);
  const { last } = await browser.follow(callback.toString());
  return { browser, callback, last };
}

const sentCodes = (heap: FakeHeapOAuth) => heap.tokenRequests.map((r) => r.fields.code);
const failedAfterToken = async (flow: Flow) => {
  const { browser, last } = await genuineFlow(flow);
  return last.status >= 500 || (await connections(flow, browser)) > 0;
};

for (const fixture of oauthFixtures) {
  test(`${fixture.name}: a genuine flow connects (or Heap refuses it for its flaw)`, async (t) => {
    await withFixture(fixture, async (flow) => {
      const { browser, last } = await genuineFlow(flow);
      const authorize = flow.heap.authorizeRequests[0]!.searchParams;
      t.is(authorize.get('client_id'), client.clientId);
      t.is(authorize.get('response_type'), 'code');
      t.is(authorize.get('scope'), 'segment');
      t.is(authorize.get('redirect_uri'), flow.app.redirectUri);
      const first = flow.heap.tokenRequests[0]!.fields;
      t.is(first.grant_type, 'authorization_code');
      t.is(first.client_id, client.clientId);
      t.is(first.client_secret, client.clientSecret);
      if (fixture === redirectUriAltered) {
        t.is(flow.heap.issued.length, 0, 'Heap refuses a token request with another redirect_uri');
        t.is(await connections(flow, browser), 0);
        t.true(last.status >= 400 && last.status < 500, `answered ${last.status}`);
        return;
      }
      t.is(flow.heap.tokenRequests.length, fixture === codeExchangedTwice ? 2 : 1);
      t.is(flow.heap.metadataRequests.length, 1, `answered ${last.status}: ${last.body}`);
      const [grant] = flow.heap.issued;
      t.is(flow.heap.metadataRequests[0]!.authorization, `Bearer ${grant!.accessToken}`);
      t.is(await connections(flow, browser), 1);
      t.deepEqual(flow.app.receivedTokens().slice(0, 2), [grant!.accessToken, grant!.idToken]);
      if (flow.app.inspectUrl) {
        const listed = await listConnections(flow.app);
        t.is(listed[0]!.id_token, grant!.idToken);
        t.is(listed[0]!.authorized_by, 'pam@example.co');
        t.false(JSON.stringify(listed).includes(grant!.accessToken));
        await t.throwsAsync(listConnections(flow.app, ''), { message: /answered 401/ });
      }
    });
  });
}

/** Whether a fixture shows the flaw a case looks for, probed directly. */
const probes: [OAuthCaseId, (flow: Flow) => Promise<boolean>][] = [
  [
    'oauth.state-present',
    async (flow) => {
      await callbackUrl(flow, new CookieBrowser());
      return !flow.heap.authorizeRequests[0]!.searchParams.get('state');
    },
  ],
  [
    'oauth.state-unique',
    async (flow) => {
      await callbackUrl(flow, new CookieBrowser());
      await callbackUrl(flow, new CookieBrowser());
      const [a, b] = flow.heap.authorizeRequests.map((url) => url.searchParams.get('state'));
      // 22 base64url or 32 hex characters carry 128 bits at best.
      return !a || a === b || a.length < 22;
    },
  ],
  [
    'oauth.state-altered',
    async (flow) => {
      const browser = new CookieBrowser();
      const callback = await callbackUrl(flow, browser);
      callback.searchParams.set('state', `${callback.searchParams.get('state') ?? ''}x`);
      await browser.open(callback.toString());
      return flow.heap.tokenRequests.length > 0;
    },
  ],
  [
    'oauth.state-missing',
    async (flow) => {
      const browser = new CookieBrowser();
      const callback = await callbackUrl(flow, browser);
      callback.searchParams.delete('state');
      await browser.open(callback.toString());
      return flow.heap.tokenRequests.length > 0;
    },
  ],
  [
    'oauth.state-other-browser',
    async (flow) => {
      const callback = await callbackUrl(flow, new CookieBrowser());
      const victim = new CookieBrowser();
      await victim.follow(flow.app.startUrl, isAuthorize(flow.heap));
      await victim.open(callback.toString());
      return flow.heap.tokenRequests.length > 0;
    },
  ],
  [
    'oauth.callback-replayed',
    async (flow) => {
      const { browser, callback } = await genuineFlow(flow);
      const tokenRequests = flow.heap.tokenRequests.length;
      const connected = await connections(flow, browser);
      await browser.follow(callback.toString());
      return (
        flow.heap.tokenRequests.length > tokenRequests ||
        (await connections(flow, browser)) > connected
      );
    },
  ],
  [
    'oauth.code-single-use',
    async (flow) => {
      const { browser, callback } = await genuineFlow(flow);
      await browser.follow(callback.toString());
      const codes = sentCodes(flow.heap);
      return new Set(codes).size < codes.length;
    },
  ],
  [
    'oauth.token-redirect-uri',
    async (flow) => {
      await genuineFlow(flow);
      const sent = flow.heap.authorizeRequests[0]!.searchParams.get('redirect_uri');
      return flow.heap.tokenRequests.some((request) => request.fields.redirect_uri !== sent);
    },
  ],
  [
    'oauth.token-in-url',
    async (flow) => {
      const { browser } = await genuineFlow(flow);
      const tokens = flow.heap.issued.map((grant) => grant.accessToken);
      const urls = [
        ...flow.heap.metadataRequests.map((m) => m.url.href),
        ...browser.hops.map((h) => h.url),
      ];
      return urls.some((url) => tokens.some((token) => url.includes(token)));
    },
  ],
  [
    'oauth.token-to-browser',
    async (flow) => {
      const { browser } = await genuineFlow(flow);
      const secrets = flow.heap.issued.flatMap((grant) => [grant.accessToken, grant.idToken]);
      const seen = browser.hops.map((hop) => {
        const headers: string[] = [];
        hop.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
        return `${headers.join('\n')}\n${hop.body}`;
      });
      return seen.some((text) => secrets.some((secret) => text.includes(secret)));
    },
  ],
  [
    'oauth.metadata-escaped',
    async (flow) => {
      flow.heap.authorizedBy = '<img src=x onerror=alert(1)>';
      const { browser } = await genuineFlow(flow);
      return browser.hops.some((hop) => hop.body.includes('<img src=x'));
    },
  ],
  [
    'oauth.access-denied',
    async (flow) => {
      const browser = new CookieBrowser();
      const callback = await callbackUrl(flow, browser);
      const denied = new URL(flow.app.redirectUri);
      denied.searchParams.set('error', 'access_denied');
      const state = callback.searchParams.get('state');
      if (state !== null) denied.searchParams.set('state', state);
      const { last } = await browser.follow(denied.toString());
      return last.status >= 500 || flow.heap.tokenRequests.length > 0;
    },
  ],
  [
    'oauth.token-invalid-grant',
    async (flow) => {
      flow.heap.tokenMode = 'invalid_grant';
      return failedAfterToken(flow);
    },
  ],
  [
    'oauth.token-server-error',
    async (flow) => {
      flow.heap.tokenMode = 'server_error';
      return failedAfterToken(flow);
    },
  ],
  [
    'oauth.token-timeout',
    async (flow) => {
      flow.heap.tokenMode = 'never_answer';
      const browser = new CookieBrowser();
      const callback = await callbackUrl(flow, browser);
      // Every app that sets a timeout sets 5 seconds; 15 leave room for a loaded machine.
      const answer = await browser
        .open(callback.toString(), { timeoutMs: 15_000 })
        .catch(() => undefined);
      return !answer || answer.status >= 500;
    },
  ],
];

for (const [caseId, probe] of probes) {
  test(`${caseId}: the flaw shows exactly in the fixtures expected to fail it`, async (t) => {
    const showing = await Promise.all(oauthFixtures.map((fixture) => withFixture(fixture, probe)));
    const flawed = oauthFixtures.filter((_, index) => showing[index]).map((f) => f.name);
    const expected = oauthFixtures
      .filter((fixture) => fixture.expected.failed.includes(caseId))
      .map((f) => f.name);
    t.deepEqual(flawed, expected);
  });
}

test('the token-type, extra-field, Referrer-Policy and clean-redirect shoulds show where expected', async (t) => {
  // The app whose token requests Heap refuses never connects, whatever the token_type.
  for (const fixture of oauthFixtures.filter((f) => f !== redirectUriAltered)) {
    const warned = new Set(fixture.expected.warnings ?? []);
    await withFixture(fixture, async (flow) => {
      flow.heap.tokenType = 'Bearer';
      const { browser } = await genuineFlow(flow);
      const refused = (await connections(flow, browser)) === 0;
      t.is(refused, warned.has('oauth.token-type-case'), `${fixture.name}: token_type Bearer`);
    });
    await withFixture(fixture, async (flow) => {
      flow.heap.extraTokenFields = { scope: 'segment', heap_region: 'us' };
      const { browser } = await genuineFlow(flow);
      const refused = (await connections(flow, browser)) === 0;
      t.is(refused, warned.has('oauth.token-extra-fields'), `${fixture.name}: extra token fields`);
    });
    await withFixture(fixture, async (flow) => {
      const { browser, last } = await genuineFlow(flow);
      const callbackHop = browser.hops.find((hop) => hop.url.startsWith(flow.app.redirectUri))!;
      t.is(
        !callbackHop.headers.get('referrer-policy'),
        warned.has('oauth.referrer-policy'),
        `${fixture.name}: Referrer-Policy`,
      );
      t.is(
        new URL(last.url).searchParams.has('code'),
        warned.has('oauth.clean-redirect'),
        `${fixture.name}: the address after the callback`,
      );
    });
  }
});

// The same genuine flows against the project's mock Heap (`npm run mock:heap`, Prism validating
// every request against spec/heap_partner_api.yaml): JSON and form token requests, the PKCE
// parameters and the extra query parameter are all requests Heap's published contract accepts.
// Serial, so it runs alone before the tests above: Prism's start-up loads the machine.
test.serial(
  'the correct apps, and the extras some defective ones send, connect through the mock Heap',
  async (t) => {
    t.timeout(300_000);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'oauth-fixtures-mock-heap-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const fixtures = [
      nodeHttpPartner,
      expressPkcePartner,
      oauth4webapiPartner,
      heapReferenceLikePartner,
      tokenInQuery,
    ];
    // One after the other: each mock Heap runs its own Prism process.
    for (const fixture of fixtures) {
      const heapPort = await freePort();
      const app = await fixture.start({ heapUrl: `http://127.0.0.1:${heapPort}`, ...client });
      const run = runTypeScript(path.join(projectRoot, 'scripts/mock-heap.ts'), {
        cwd: dir,
        env: {
          MOCK_HEAP_PORT: String(heapPort),
          MOCK_HEAP_DATA_DIR: path.join(dir, `heap-${heapPort}`),
          CLIENT_ID: client.clientId,
          CLIENT_SECRET: client.clientSecret,
          REDIRECT_URI: app.redirectUri,
        },
      });
      try {
        await waitForUrl(run, /Mock Heap listening on (http:\/\/\S+)/, 120_000);
        const browser = new CookieBrowser();
        const { last } = await browser.follow(app.startUrl);
        t.is(last.status, 200, `${fixture.name}: ${last.body.slice(0, 300)}`);
        const connected = app.inspectUrl
          ? (await listConnections(app)).map((c) => c.env_id)
          : [last.body.includes(app.successText!) ? '2544353' : 'no success text'];
        t.deepEqual(connected, ['2544353'], fixture.name);
        t.regex(run.output(), /POST \/api\/partner\/oauth\/token -> 200/, fixture.name);
        t.regex(run.output(), /GET \/api\/partner\/v1\/metadata\/[\w-]+ -> 200/, fixture.name);
      } finally {
        run.child.kill('SIGTERM');
        await run.exited;
        await app.close();
      }
    }
  },
);

test('every must-level case is failed by some fixture, and the correct ones fail nothing', (t) => {
  const shoulds = new Set<OAuthCaseId>([
    'oauth.token-type-case',
    'oauth.token-extra-fields',
    'oauth.id-token-to-browser',
    'oauth.clean-redirect',
    'oauth.referrer-policy',
    'oauth.third-party-resources',
    'oauth.pkce',
  ]);
  const failedSomewhere = new Set(oauthFixtures.flatMap((f) => f.expected.failed));
  t.deepEqual(
    oauthCaseIds.filter((id) => !shoulds.has(id) && !failedSomewhere.has(id)),
    [],
  );
  t.deepEqual(
    oauthFixtures.flatMap((f) => f.expected.failed.filter((id) => shoulds.has(id))),
    [],
    'a should never makes a case fail',
  );
  for (const fixture of oauthFixtures)
    t.is(fixture.expected.exitCode, fixture.expected.failed.length > 0 ? 1 : 0, fixture.name);
  t.true(correctOAuthFixtures.every((f) => f.expected.failed.length === 0));
});
