// The mock Developer Hub over real HTTP: settings persisted in the data directory, the webhook
// secret revealed only on request, sample and segment deliveries signed and retried like Heap's,
// accounts from the OAuth flow carried in deliveries, escaping, and the delivery log.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { verifyHeapHash } from '../../spec/src/index.ts';
import { startScriptedSink, type ScriptedSink } from '../../support/testing/scriptedSink.ts';
import type { DeliveryLogEntry } from '../mockHeap/hub/deliveryLog.ts';
import { drainUrl } from '../mockHeap/hub/hubDeliveries.ts';
import type { MockHeapConfig } from '../mockHeap/mockHeapConfig.ts';
import { startMockHeap, type MockHeap } from '../mockHeap/mockHeapServer.ts';

const SECRET = 'hub-test-webhook-secret';

async function startHub(dataDir: string): Promise<MockHeap> {
  const config: MockHeapConfig = {
    port: 0,
    clientId: 'dev-client-id',
    clientSecret: 'dev-client-secret',
    redirectUri: 'http://localhost:3000/api/oauth_redirect',
    codeTtlMs: 60_000,
    envId: '8675309',
    partnerAppId: '4',
    authorizedBy: 'hub@example.co',
    dataDir,
    webhookSecret: SECRET,
    webhookUrl: 'http://127.0.0.1:9/unused',
  };
  return startMockHeap(config, { senderFlags: ['--retry-base-ms=5', '--retry-max-ms=20'] });
}

let dataDir: string;
let mock: MockHeap;
test.before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'developer-hub-'));
  mock = await startHub(dataDir);
});
test.after.always(async () => {
  await mock?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Posts a Developer Hub form the way a browser on the hub's page does. */
function post(pathname: string, form: Record<string, string> = {}, origin = mock.url) {
  return fetch(`${mock.url}${pathname}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams(form).toString(),
  });
}

async function registerWebhook(url: string): Promise<void> {
  const saved = await post('/hub/settings', {
    webhookUrl: url,
    redirectUri: 'http://localhost:3000/api/oauth_redirect',
  });
  if (saved.status !== 303) throw new Error(`settings answered ${saved.status}`);
}

/** The log entries for `segment`, once there are `count` of them. */
async function logEntries(segment: string, count: number): Promise<DeliveryLogEntry[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await fetch(`${mock.url}/hub/api/deliveries?after=0`);
    const { entries } = (await response.json()) as { entries: DeliveryLogEntry[] };
    const mine = entries.filter((entry) => entry.segment.startsWith(segment));
    if (mine.length >= count || Date.now() > deadline) return mine;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The tests share one hub and its single webhook URL, so they run one after another.
let sink: ScriptedSink | undefined;
test.afterEach.always(async () => {
  await sink?.close();
  sink = undefined;
});

test.serial('settings are saved in the data directory and shown escaped on the page', async (t) => {
  t.is(
    (await post('/hub/settings', { webhookUrl: 'javascript:alert(1)', redirectUri: 'x' })).status,
    400,
  );
  await registerWebhook('http://127.0.0.1:4321/hook?a="b"&c=<d>');
  const stored = JSON.parse(await readFile(path.join(dataDir, 'hub.json'), 'utf8')) as {
    settings: { webhookUrl: string };
  };
  t.is(stored.settings.webhookUrl, 'http://127.0.0.1:4321/hook?a=%22b%22&c=%3Cd%3E');
  const page = await (await fetch(`${mock.url}/hub`)).text();
  t.regex(page, /<label for="webhook-url">Webhook URL<\/label>/);
  t.regex(page, /value="http:\/\/127\.0\.0\.1:4321\/hook\?a=%22b%22&amp;c=%3Cd%3E"/);

  // A restarted mock reads the same settings back.
  const again = await startHub(dataDir);
  t.teardown(() => again.stop());
  t.regex(await (await fetch(`${again.url}/hub`)).text(), /4321\/hook/);
});

test.serial('the webhook secret appears only after "Reveal webhook secret"', async (t) => {
  const page = await (await fetch(`${mock.url}/hub`)).text();
  t.false(page.includes(SECRET));
  t.regex(page, /<output id="webhook-secret">hidden<\/output>/);
  const revealed = await post('/hub/secret');
  t.is(revealed.status, 200);
  t.is(revealed.headers.get('cache-control'), 'no-store');
  t.regex(await revealed.text(), new RegExp(`<output id="webhook-secret">${SECRET}</output>`));
});

test.serial(
  'a revealed secret stays revealed in that browser until "Hide webhook secret"',
  async (t) => {
    const revealed = await post('/hub/secret');
    const cookie = (revealed.headers.get('set-cookie') ?? '').split(';')[0]!;
    t.regex(cookie, /^hub_secret_shown=1$/);
    const page = (headers: Record<string, string> = {}) =>
      fetch(`${mock.url}/hub?done=sample`, { headers }).then((answer) => answer.text());
    // After any other action the hub page is shown again: the secret is still there.
    t.regex(await page({ cookie }), new RegExp(`<output id="webhook-secret">${SECRET}</output>`));
    t.regex(await page({ cookie }), /<button type="submit">Hide webhook secret<\/button>/);
    // Another browser (no cookie) does not see it.
    t.false((await page()).includes(SECRET));
    const hidden = await fetch(`${mock.url}/hub/secret/hide`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: mock.url, cookie },
    });
    t.is(hidden.status, 303);
    t.regex(hidden.headers.get('set-cookie') ?? '', /^hub_secret_shown=; .*Max-Age=0/);
  },
);

test.serial('a form posted from another origin is refused', async (t) => {
  const answer = await post('/hub/secret', {}, 'http://evil.example');
  t.is(answer.status, 403);
  t.false((await answer.text()).includes(SECRET));
});

test.serial(
  '"Send sample segment" posts one page signed with the revealed secret and logs its 200',
  async (t) => {
    sink = await startScriptedSink([{ status: 200, body: '{"result":"applied"}' }]);
    await registerWebhook(sink.url);
    const sent = await post('/hub/sample');
    t.is(sent.status, 303);
    t.is(sent.headers.get('location'), '/hub?done=sample');
    const [entry] = await logEntries('Sample Segment', 1);
    t.like(entry, {
      action: 'sample',
      page: 'page 1/1',
      status: '200',
      delivered: true,
      attempts: 1,
      excerpt: '{"result":"applied"}',
    });
    t.is(sink.requests.length, 1);
    const [request] = sink.requests;
    t.deepEqual(
      verifyHeapHash({
        rawBody: request!.body,
        header: request!.headers['heap-hash'] as string,
        secrets: [SECRET],
        now: Date.now(),
      }).ok,
      true,
    );
    const payload = JSON.parse(request!.body.toString()) as {
      action_type: string;
      data: { add: { id: string }[] };
    };
    t.is(payload.action_type, 'segment.users.sync');
    t.true(payload.data.add.length > 0);
  },
);

test.serial(
  '"Sync now" sends every page of the segment and retries failed answers like Heap',
  async (t) => {
    sink = await startScriptedSink([{ status: 500 }, { status: 503 }, { status: 200 }]);
    await registerWebhook(sink.url);
    t.is(
      (
        await post('/hub/segments', {
          name: 'Trial <Users>',
          users: '25',
          pageSize: '10',
          idToken: '',
          scheduleMinutes: '',
        })
      ).status,
      303,
    );
    const page = await (await fetch(`${mock.url}/hub`)).text();
    t.regex(page, /<td>Trial &lt;Users&gt;<\/td>/);
    t.false(page.includes('Trial <Users>'));
    const id = /action="\/hub\/segments\/(\d+)\/sync"/.exec(page)?.[1];
    t.truthy(id);
    t.is((await post(`/hub/segments/${id}/sync`)).status, 303);
    const entries = await logEntries('Trial <Users>', 3);
    t.deepEqual(entries.map((entry) => entry.page).sort(), ['page 1/3', 'page 2/3', 'page 3/3']);
    t.true(entries.every((entry) => entry.status === '200' && entry.delivered));
    t.is(
      entries.reduce((sum, entry) => sum + entry.attempts, 0),
      5,
      'the 500 and the 503 were both retried',
    );
    const bodies = sink.requests.map(
      (request) =>
        JSON.parse(request.body.toString()) as {
          data: { segment: { id: number }; sync_info: { sync_task_id: string }; add: unknown[] };
        },
    );
    t.true(bodies.every((body) => body.data.segment.id === Number(id)));
    t.is(new Set(bodies.map((body) => body.data.sync_info.sync_task_id)).size, 1);
  },
);

test.serial(
  'accounts connected through the OAuth flow are listed and their id_token is sent',
  async (t) => {
    sink = await startScriptedSink([{ status: 200 }]);
    await registerWebhook(sink.url);
    const authorize = await fetch(
      `${mock.url}/api/partner/oauth/authorize?${new URLSearchParams({
        client_id: 'dev-client-id',
        state: 's',
        response_type: 'code',
        redirect_uri: 'http://localhost:3000/api/oauth_redirect',
        scope: 'segment',
      })}`,
      { redirect: 'manual' },
    );
    const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
    const token = (await (
      await fetch(`${mock.url}/api/partner/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'http://localhost:3000/api/oauth_redirect',
          client_id: 'dev-client-id',
          client_secret: 'dev-client-secret',
        }),
      })
    ).json()) as { id_token: string };
    const page = await (await fetch(`${mock.url}/hub`)).text();
    t.regex(page, new RegExp(`<td><code>${token.id_token}</code></td><td>8675309</td>`));

    await post('/hub/segments', {
      name: 'Drained',
      users: '3',
      pageSize: '10',
      idToken: token.id_token,
      scheduleMinutes: '',
    });
    const withDrained = await (await fetch(`${mock.url}/hub`)).text();
    const id = /<td>Drained<\/td><td>(\d+)<\/td>/.exec(withDrained)?.[1];
    await post('/hub/sample');
    await logEntries('Sample Segment', 2);
    t.is(await post(`/hub/segments/${id}/drain`).then((answer) => answer.status), 303);
    const [drain] = await logEntries('Drained', 1);
    t.like(drain, { action: 'drain', page: 'drain', status: '200' });
    const bodies = sink.requests.map(
      (request) => JSON.parse(request.body.toString()) as { id_token: string; action_type: string },
    );
    t.deepEqual(
      bodies.map((body) => [body.action_type, body.id_token]),
      [
        ['segment.users.sync', token.id_token],
        ['segment.users.drain', token.id_token],
      ],
    );
    t.is(
      await post('/hub/segments', {
        name: 'x',
        users: '1',
        pageSize: '1',
        idToken: 'not-connected',
        scheduleMinutes: '',
      }).then((a) => a.status),
      400,
    );
  },
);

test('a drain goes to the drain route beside /users_sync, else to the registered URL', (t) => {
  t.is(drainUrl('http://127.0.0.1:3000/users_sync'), 'http://127.0.0.1:3000/users_drain');
  t.is(drainUrl('http://127.0.0.1:3000/webhooks/heap'), 'http://127.0.0.1:3000/webhooks/heap');
});

test('each setting says where it comes from, and a redirect_uri mismatch names the registered one', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'developer-hub-sources-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const config: MockHeapConfig = {
    port: 0,
    clientId: 'dev-client-id',
    clientSecret: 'dev-client-secret',
    redirectUri: 'http://localhost:3999/api/oauth_redirect',
    redirectUriFromEnvironment: true,
    codeTtlMs: 60_000,
    envId: '8675309',
    partnerAppId: '4',
    authorizedBy: 'hub@example.co',
    dataDir: dir,
    webhookSecret: SECRET,
    webhookUrl: 'http://127.0.0.1:9/unused',
  };
  const fresh = await startMockHeap(config);
  t.teardown(() => fresh.stop());
  const page = await (await fetch(`${fresh.url}/hub`)).text();
  t.regex(page, /id="redirect-uri-source">from the environment \(REDIRECT_URI\)</);
  t.regex(page, /id="webhook-url-source">default</);

  const saved = 'http://localhost:3001/api/oauth_redirect';
  const form = { webhookUrl: 'http://127.0.0.1:9/unused', redirectUri: saved };
  const answer = await fetch(`${fresh.url}/hub/settings`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: fresh.url },
    body: new URLSearchParams(form).toString(),
  });
  t.is(answer.status, 303);
  t.regex(
    await (await fetch(`${fresh.url}/hub`)).text(),
    /id="redirect-uri-source">saved in the Hub \(overrides REDIRECT_URI\)</,
  );

  // The environment's value no longer matches: the error says what is registered and where.
  const authorize = await fetch(
    `${fresh.url}/api/partner/oauth/authorize?${new URLSearchParams({
      client_id: 'dev-client-id',
      state: 's',
      response_type: 'code',
      scope: 'segment',
      redirect_uri: config.redirectUri,
    }).toString()}`,
    { redirect: 'manual' },
  );
  t.is(authorize.status, 400);
  const body = (await authorize.json()) as { error: string; error_description: string };
  t.is(body.error, 'invalid_request');
  t.is(
    body.error_description,
    `redirect_uri does not match the registered redirect URI: got ${config.redirectUri}, ` +
      `registered ${saved} (saved in the Developer Hub at ${fresh.url}/hub, where it can be changed; it overrides REDIRECT_URI)`,
  );
});
