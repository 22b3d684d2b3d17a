// What Heap may leave out of a delivery is accepted and applied; an inconsistent sync_info is a 400.
import test from 'ava';
import { bodyBytes, drainPayload, signedDelivery, syncPagePayload } from '../../spec/src/index.ts';
import { postDelivery } from '../../support/testing/postDelivery.ts';
import { UNASSIGNED_ACCOUNT } from '../src/webhook/unassignedAccount.ts';
import {
  TEST_ADMIN_TOKEN,
  TEST_SECRET,
  startTestServer,
  type TestServer,
} from './helpers/testServer.ts';

let server: TestServer;

test.before(async () => {
  server = await startTestServer();
});
test.after.always(async () => {
  await server?.close();
});

const idToken = '7a36ae58-c4b9-11eb-8529-0242ac130003';
let nextSegmentId = 5000;

function page(segmentId: number, add: string[], pageNumber = 1, totalPages = 1) {
  return syncPagePayload({
    idToken,
    segment: { id: segmentId, name: 'Omissions' },
    syncTaskId: `task-${segmentId}`,
    pageNumber,
    totalPages,
    add,
  });
}

/** A copy of `payload` without the property at `path`. */
function without(payload: object, path: string[]): Record<string, unknown> {
  const copy = structuredClone(payload) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  delete node[path[path.length - 1]!];
  return copy;
}

async function post(targetServer: TestServer, route: string, payload: unknown) {
  const exchange = await postDelivery(
    signedDelivery({
      url: targetServer.url + route,
      body: bodyBytes(payload),
      secret: TEST_SECRET,
      timestamp: Date.now(),
    }),
  );
  if (!exchange.ok) throw new Error(`request failed: ${exchange.message}`);
  return { status: exchange.status, body: JSON.parse(exchange.responseBody) as object };
}

async function members(account: string, segmentId: number): Promise<string[]> {
  const response = await fetch(`${server.url}/admin/segments/${account}/${segmentId}/members`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  return ((await response.json()) as { members: string[] }).members;
}

const omissions: [string, { omit: string[]; account: string }][] = [
  ['id_token', { omit: ['id_token'], account: UNASSIGNED_ACCOUNT }],
  ['customer_config', { omit: ['customer_config'], account: idToken }],
  ['customer_config.fields', { omit: ['customer_config', 'fields'], account: idToken }],
  ['data.segment.name', { omit: ['data', 'segment', 'name'], account: idToken }],
];

for (const [name, { omit, account }] of omissions) {
  test(`a sync without ${name} is applied and answered 200`, async (t) => {
    const segmentId = nextSegmentId++;
    const answer = await post(server, '/users_sync', without(page(segmentId, ['a@x.io']), omit));
    t.is(answer.status, 200, JSON.stringify(answer.body));
    t.like(answer.body, { result: 'applied', added: 1 });
    t.deepEqual(await members(account, segmentId), ['a@x.io']);
  });
}

test('a sync with an empty id_token goes to the unassigned account', async (t) => {
  const segmentId = nextSegmentId++;
  const answer = await post(server, '/users_sync', {
    ...page(segmentId, ['e@x.io']),
    id_token: '',
  });
  t.deepEqual(answer, {
    status: 200,
    body: { result: 'applied', added: 1, removed: 0, account: 'unassigned', connected: false },
  });
  t.deepEqual(await members(UNASSIGNED_ACCOUNT, segmentId), ['e@x.io']);
});

test('a drain without id_token, customer_config or segment name drains the unassigned account', async (t) => {
  const segmentId = nextSegmentId++;
  await post(server, '/users_sync', without(page(segmentId, ['a@x.io', 'b@x.io']), ['id_token']));
  t.deepEqual(await members(UNASSIGNED_ACCOUNT, segmentId), ['a@x.io', 'b@x.io']);
  let drain: object = drainPayload({
    idToken,
    segment: { id: segmentId, name: 'Omissions' },
  });
  for (const path of [['id_token'], ['customer_config'], ['data', 'segment', 'name']]) {
    drain = without(drain, path);
  }
  const answer = await post(server, '/users_drain', drain);
  t.deepEqual(answer, {
    status: 200,
    body: { result: 'drained', removed: 2, account: 'unassigned', connected: false },
  });
  t.deepEqual(await members(UNASSIGNED_ACCOUNT, segmentId), []);
});

test('the inspection API lists the unassigned account and a nameless segment', async (t) => {
  const segmentId = nextSegmentId++;
  await post(
    server,
    '/webhooks/heap',
    without(without(page(segmentId, ['n@x.io']), ['id_token']), ['data', 'segment', 'name']),
  );
  const response = await fetch(`${server.url}/admin/segments?id_token=${UNASSIGNED_ACCOUNT}`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  const { segments } = (await response.json()) as {
    segments: { id_token: string; segment_id: number; name: string; member_count: number }[];
  };
  t.like(
    segments.find((segment) => segment.segment_id === segmentId),
    { id_token: 'unassigned', name: '', member_count: 1 },
  );
});

const inconsistent: [string, { pageNumber: number; totalPages: number; want: string }][] = [
  [
    'page_number beyond total_pages',
    {
      pageNumber: 4,
      totalPages: 3,
      want: 'data.sync_info.page_number: 4 is beyond total_pages 3',
    },
  ],
  [
    'page_number 0',
    { pageNumber: 0, totalPages: 3, want: 'data.sync_info.page_number: must be >= 1' },
  ],
  [
    'total_pages 0',
    { pageNumber: 1, totalPages: 0, want: 'data.sync_info.total_pages: must be >= 1' },
  ],
];

for (const [name, { pageNumber, totalPages, want }] of inconsistent) {
  test(`a sync with ${name} is refused with 400 naming it, and changes nothing`, async (t) => {
    const segmentId = nextSegmentId++;
    const answer = await post(
      server,
      '/users_sync',
      page(segmentId, ['x@x.io'], pageNumber, totalPages),
    );
    t.deepEqual(answer, { status: 400, body: { error: want } });
    t.deepEqual(await members(idToken, segmentId), []);
  });
}

test('a delivery without id_token is applied even when unknown accounts are refused', async (t) => {
  const strict = await startTestServer(
    {},
    {
      config: {
        clientId: 'client',
        clientSecret: 'client-secret',
        redirectUri: 'http://127.0.0.1:1/api/oauth_redirect',
        heapBaseUrl: 'http://127.0.0.1:1',
        tokenKey: Buffer.alloc(32, 7),
        cookieSecret: 'cookie-secret-0123456789',
        usingDevCredentials: true,
      },
      unknownAccounts: 'reject',
    },
  );
  t.teardown(() => strict.close());
  const segmentId = nextSegmentId++;
  const unknown = await post(strict, '/users_sync', page(segmentId, ['u@x.io']));
  t.is(unknown.status, 403);
  const unassigned = await post(
    strict,
    '/users_sync',
    without(page(segmentId, ['u@x.io']), ['id_token']),
  );
  t.deepEqual(unassigned, {
    status: 200,
    body: { result: 'applied', added: 1, removed: 0, account: 'unassigned', connected: false },
  });
});
