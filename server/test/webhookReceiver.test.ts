// The webhook receiver over real HTTP with a real SQLite file: signatures, payloads, routes, limits.
import test from 'ava';
import {
  bodyBytes,
  computeHeapHmac,
  createSchemaValidator,
  drainPayload,
  readSpec,
  signedDelivery,
  signHeapHash,
  specFiles,
  syncPagePayload,
} from '../../spec/src/index.ts';
import { postDelivery, type PostedDelivery } from '../../support/testing/postDelivery.ts';
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
let nextSegmentId = 1000;
const freshSegment = () => ({ id: nextSegmentId++, name: 'Segment ünïcode' });

function sync(
  segment: { id: number; name: string },
  add: string[],
  remove: string[] = [],
  pageNumber = 1,
) {
  return syncPagePayload({
    idToken,
    segment,
    syncTaskId: `task-${segment.id}`,
    pageNumber,
    totalPages: 3,
    add,
    remove,
  });
}

async function post(
  route: string,
  body: Buffer,
  header: string | null = signHeapHash({
    rawBody: body,
    secret: TEST_SECRET,
    timestamp: Date.now(),
  }),
  extraHeaders: Record<string, string> = {},
): Promise<PostedDelivery & { ok: true }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extraHeaders };
  if (header !== null) headers['heap-hash'] = header;
  const exchange = await postDelivery({ url: server.url + route, body, headers });
  if (!exchange.ok) throw new Error(`request failed: ${exchange.message}`);
  return exchange;
}

async function members(segmentId: number): Promise<string[]> {
  const response = await fetch(`${server.url}/admin/segments/${idToken}/${segmentId}/members`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  return ((await response.json()) as { members: string[] }).members;
}

const json = (exchange: { responseBody: string }) =>
  JSON.parse(exchange.responseBody) as Record<string, unknown>;

test('a signed sync page is applied and answered 200', async (t) => {
  const segment = freshSegment();
  const exchange = await post('/users_sync', bodyBytes(sync(segment, ['a@x.io', 'b@x.io'])));
  t.is(exchange.status, 200);
  t.deepEqual(json(exchange), { result: 'applied', added: 2, removed: 0 });
  t.deepEqual(await members(segment.id), ['a@x.io', 'b@x.io']);
});

/** Builds the Heap-Hash for a body; null sends none. */
const signatureFailures: [string, { header: (body: Buffer) => string | null; want: string }][] = [
  ['no Heap-Hash', { header: () => null, want: 'missing_header' }],
  ['an empty Heap-Hash', { header: () => '', want: 'missing_header' }],
  [
    'no comma',
    {
      header: (b) =>
        signHeapHash({ rawBody: b, secret: TEST_SECRET, timestamp: Date.now() }).replace(',', ''),
      want: 'malformed_header',
    },
  ],
  [
    'duplicate keys',
    {
      header: (b) =>
        `ts:1,${signHeapHash({ rawBody: b, secret: TEST_SECRET, timestamp: Date.now() })}`,
      want: 'malformed_header',
    },
  ],
  ['a non-numeric ts', { header: () => `ts:now,hmac:${'A'.repeat(43)}=`, want: 'bad_timestamp' }],
  [
    'the wrong secret',
    {
      header: (b) => signHeapHash({ rawBody: b, secret: 'wrong', timestamp: Date.now() }),
      want: 'signature_mismatch',
    },
  ],
  [
    'a truncated hmac',
    {
      header: (b) =>
        signHeapHash({ rawBody: b, secret: TEST_SECRET, timestamp: Date.now() }).slice(0, -10),
      want: 'signature_mismatch',
    },
  ],
  ['a non-Base64 hmac', { header: () => `ts:${Date.now()},hmac:%%%%`, want: 'malformed_header' }],
  [
    'a hex hmac',
    {
      header: (b) => {
        const ts = String(Date.now());
        return `ts:${ts},hmac:${computeHeapHmac(TEST_SECRET, ts, b).toString('hex')}`;
      },
      want: 'signature_mismatch',
    },
  ],
  [
    'a stale timestamp',
    {
      header: (b) =>
        signHeapHash({ rawBody: b, secret: TEST_SECRET, timestamp: Date.now() - 5 * 60_000 }),
      want: 'stale_timestamp',
    },
  ],
  [
    'a future timestamp',
    {
      header: (b) =>
        signHeapHash({ rawBody: b, secret: TEST_SECRET, timestamp: Date.now() + 5 * 60_000 }),
      want: 'future_timestamp',
    },
  ],
  [
    'a seconds timestamp',
    {
      header: (b) =>
        signHeapHash({ rawBody: b, secret: TEST_SECRET, timestamp: Math.floor(Date.now() / 1000) }),
      want: 'stale_timestamp',
    },
  ],
];

for (const [name, { header, want }] of signatureFailures) {
  test(`403 ${want} for ${name}, nothing stored`, async (t) => {
    const segment = freshSegment();
    const body = bodyBytes(sync(segment, ['x@x.io']));
    const exchange = await post('/webhooks/heap', body, header(body));
    t.is(exchange.status, 403);
    t.is(json(exchange).error, want);
    t.false(exchange.responseBody.includes(TEST_SECRET));
    t.false(
      exchange.responseBody.includes(
        computeHeapHmac(TEST_SECRET, '0', body).toString('base64').slice(0, 10),
      ),
    );
    t.deepEqual(await members(segment.id), []);
  });
}

test('a body changed after signing is refused', async (t) => {
  const segment = freshSegment();
  const body = bodyBytes(sync(segment, ['x@x.io']));
  const header = signHeapHash({ rawBody: body, secret: TEST_SECRET, timestamp: Date.now() });
  const tampered = Buffer.from(body.toString().replace('x@x.io', 'y@x.io'));
  const exchange = await post('/users_sync', tampered, header);
  t.is(exchange.status, 403);
  t.is(json(exchange).error, 'signature_mismatch');
});

const byteVariants: [string, (payload: object) => string][] = [
  ['pretty-printed', (payload) => JSON.stringify(payload, null, 2)],
  [
    '\\u-escaped non-ASCII',
    (payload) =>
      JSON.stringify(payload).replace(
        /[^\x20-\x7e]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ),
  ],
  [
    'reordered keys',
    (payload) => JSON.stringify(Object.fromEntries(Object.entries(payload).reverse())),
  ],
  [
    'trailing newline and CRLF indentation',
    (payload) => JSON.stringify(payload, null, '\t').replace(/\n/g, '\r\n') + '\r\n',
  ],
];

for (const [name, serialise] of byteVariants) {
  test(`bytes that differ from JSON.stringify still verify: ${name}`, async (t) => {
    const segment = freshSegment();
    const payload = sync(segment, ['zoë@exämple.com', '山田@例え.jp']);
    const text = serialise(payload);
    t.not(text, JSON.stringify(payload));
    const exchange = await post('/users_sync', Buffer.from(text, 'utf8'));
    t.is(exchange.status, 200, exchange.responseBody);
    t.deepEqual(await members(segment.id), ['zoë@exämple.com', '山田@例え.jp']);
  });
}

test('any secret of a rotating list verifies', async (t) => {
  const rotating = await startTestServer({ webhookSecrets: ['new-secret-value', TEST_SECRET] });
  t.teardown(() => rotating.close());
  for (const secret of ['new-secret-value', TEST_SECRET]) {
    const body = bodyBytes(sync(freshSegment(), ['a']));
    const exchange = await postDelivery(
      signedDelivery({ url: `${rotating.url}/users_sync`, body, secret, timestamp: Date.now() }),
    );
    t.is(exchange.ok && exchange.status, 200);
  }
});

const payloadFailures: [string, { body: Buffer; want: RegExp }][] = [
  [
    'invalid JSON',
    { body: Buffer.from('{"action_type": "segment.users.sync",'), want: /not valid JSON/ },
  ],
  ['an empty body', { body: Buffer.alloc(0), want: /empty/ }],
  ['invalid UTF-8', { body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), want: /UTF-8/ }],
  ['a JSON string', { body: Buffer.from('"hello"'), want: /must be a JSON object/ }],
  [
    'a page number as text',
    {
      body: bodyBytes({
        ...sync(freshSegment(), []),
        data: {
          ...sync(freshSegment(), []).data,
          sync_info: { page_number: 'one', total_pages: 1, sync_task_id: 't' },
        },
      }),
      want: /data\.sync_info\.page_number: must be integer/,
    },
  ],
  [
    'a missing segment',
    {
      body: bodyBytes({
        ...sync(freshSegment(), []),
        data: { sync_info: { page_number: 1, total_pages: 1, sync_task_id: 't' } },
      }),
      want: /data\.segment: is required/,
    },
  ],
];

for (const [name, { body, want }] of payloadFailures) {
  test(`400 naming the problem for ${name}`, async (t) => {
    const exchange = await post('/webhooks/heap', body);
    t.is(exchange.status, 400);
    t.regex(String(json(exchange).error), want);
  });
}

test('a delivery on the wrong reference route gets 405', async (t) => {
  const segment = freshSegment();
  const onDrain = await post('/users_drain', bodyBytes(sync(segment, ['a'])));
  t.is(onDrain.status, 405);
  t.regex(String(json(onDrain).error), /go to \/users_sync/);
  const onSync = await post('/users_sync', bodyBytes(drainPayload({ idToken, segment })));
  t.is(onSync.status, 405);
  t.deepEqual(await members(segment.id), []);
});

test('drains work on /users_drain and on the dispatching route', async (t) => {
  for (const route of ['/users_drain', '/webhooks/heap']) {
    const segment = freshSegment();
    await post('/users_sync', bodyBytes(sync(segment, ['a', 'b'])));
    const exchange = await post(route, bodyBytes(drainPayload({ idToken, segment })));
    t.is(exchange.status, 200);
    t.deepEqual(json(exchange), { result: 'drained', removed: 2 });
    t.deepEqual(await members(segment.id), []);
  }
});

test('retries, out-of-order pages and a drain give the exact expected membership', async (t) => {
  const segment = freshSegment();
  const pages = [
    sync(segment, ['a', 'b', 'c'], [], 1),
    sync(segment, ['d'], ['b'], 2),
    sync(segment, ['b', 'e'], ['a', 'd'], 3),
  ];
  for (const index of [2, 0, 2, 1, 0]) {
    t.is((await post('/webhooks/heap', bodyBytes(pages[index]!))).status, 200);
  }
  t.deepEqual(await members(segment.id), ['b', 'c', 'e']);
  await post('/webhooks/heap', bodyBytes(drainPayload({ idToken, segment })));
  const late = await post('/webhooks/heap', bodyBytes(pages[1]!));
  t.deepEqual(json(late), { result: 'duplicate' });
  t.deepEqual(await members(segment.id), []);
});

test('an unknown action type is acknowledged and ignored by default', async (t) => {
  const exchange = await post(
    '/webhooks/heap',
    bodyBytes({ action_type: 'segment.users.rename', id_token: idToken }),
  );
  t.is(exchange.status, 200);
  t.deepEqual(json(exchange), { result: 'ignored', action_type: 'segment.users.rename' });
});

test('UNKNOWN_ACTIONS=reject refuses unknown action types with 400', async (t) => {
  const strict = await startTestServer({ unknownActions: 'reject' });
  t.teardown(() => strict.close());
  const body = bodyBytes({ action_type: 'segment.users.rename', id_token: idToken });
  const exchange = await postDelivery(
    signedDelivery({
      url: `${strict.url}/webhooks/heap`,
      body,
      secret: TEST_SECRET,
      timestamp: Date.now(),
    }),
  );
  t.is(exchange.ok && exchange.status, 400);
});

test('a body over the limit gets 413 and a large page under it is applied', async (t) => {
  const small = await startTestServer({ bodyLimitBytes: 64 * 1024 });
  t.teardown(() => small.close());
  const users = Array.from({ length: 5000 }, (_, i) => `user-${i}@example.com`);
  const big = bodyBytes(sync(freshSegment(), users));
  const refused = await postDelivery(
    signedDelivery({
      url: `${small.url}/users_sync`,
      body: big,
      secret: TEST_SECRET,
      timestamp: Date.now(),
    }),
  );
  t.is(refused.ok && refused.status, 413);
  const segment = freshSegment();
  const accepted = await post('/users_sync', bodyBytes(sync(segment, users)));
  t.is(accepted.status, 200);
  t.is((await members(segment.id)).length, 1000, 'first page of the inspection API');
});

test('GET on a webhook route is 405, an unknown path 404, healthcheck 200', async (t) => {
  t.is((await fetch(`${server.url}/users_sync`)).status, 405);
  t.is((await fetch(`${server.url}/nope`)).status, 404);
  const health = await fetch(`${server.url}/healthcheck`);
  t.is(health.status, 200);
  t.deepEqual(await health.json(), { status: 'ok', database: 'ok' });
});

test('the inspection API needs the admin token', async (t) => {
  t.is((await fetch(`${server.url}/admin/segments`)).status, 401);
  t.is(
    (await fetch(`${server.url}/admin/segments`, { headers: { authorization: 'Bearer wrong' } }))
      .status,
    401,
  );
  const ok = await fetch(`${server.url}/admin/sync-tasks`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  t.is(ok.status, 200);
  t.true(Array.isArray(((await ok.json()) as { sync_tasks: unknown[] }).sync_tasks));
  const bad = await fetch(`${server.url}/admin/segments/${idToken}/abc/members`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  t.is(bad.status, 400);
});

test('the inspection API is disabled without ADMIN_TOKEN', async (t) => {
  const closed = await startTestServer({ adminToken: null });
  t.teardown(() => closed.close());
  const response = await fetch(`${closed.url}/admin/segments`);
  t.is(response.status, 404);
  // A recognisable answer: a client can tell "switched off" from a wrong URL.
  const body = (await response.json()) as { error: string; message: string };
  t.is(body.error, 'inspection_api_disabled');
  t.regex(body.message, /set ADMIN_TOKEN/);
  const contract = createSchemaValidator(
    readSpec(specFiles.partnerInspectionApi),
    'partner_inspection_api',
  );
  t.true(contract.validate('InspectionDisabled', body).ok);
});

test('logs carry a request id and outcome, never the signature or a secret', async (t) => {
  const body = bodyBytes(sync(freshSegment(), ['a']));
  const header = signHeapHash({ rawBody: body, secret: TEST_SECRET, timestamp: Date.now() });
  const exchange = await post('/users_sync', body, header, { 'x-request-id': 'req-123' });
  t.is(exchange.responseHeaders['x-request-id'], 'req-123');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const line = server.logs.find((entry) => entry.includes('"requestId":"req-123"'));
  t.truthy(line);
  t.regex(line!, /"outcome":"applied"/);
  const all = server.logs.join('\n');
  t.false(all.includes(TEST_SECRET));
  t.false(all.includes(header.split('hmac:')[1]!));
});
