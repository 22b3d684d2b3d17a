// Uploads are judged before their bodies cost memory: the Heap-Hash header is checked before the
// body is read, bodies must arrive in time, and all bodies together stay within a budget.
import test from 'ava';
import net from 'node:net';
import { bodyBytes, signHeapHash, syncPagePayload } from '../../spec/src/index.ts';
import { parseServerConfig } from '../src/config/serverConfig.ts';
import { postDelivery } from '../../support/testing/postDelivery.ts';
import { startTestServer, TEST_SECRET, type TestServer } from './helpers/testServer.ts';

interface RawExchange {
  socket: net.Socket;
  /** Resolves with the status line and headers of the answer, or rejects after `waitMs`. */
  answer: Promise<{ status: number; head: string; body: string }>;
}

/** Sends request headers (and optionally part of a body) and keeps the socket open. */
function startUpload(
  server: TestServer,
  headers: Record<string, string>,
  bodyPart: Buffer = Buffer.alloc(0),
  waitMs = 8_000,
): RawExchange {
  const { hostname, port } = new URL(server.url);
  const socket = net.connect(Number(port), hostname);
  const lines = Object.entries({ host: `${hostname}:${port}`, ...headers }).map(
    ([name, value]) => `${name}: ${value}`,
  );
  socket.write(`POST /users_sync HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
  if (bodyPart.length > 0) socket.write(bodyPart);
  const answer = new Promise<{ status: number; head: string; body: string }>((resolve, reject) => {
    let received = '';
    const timer = setTimeout(
      () => reject(new Error(`no answer within ${waitMs} ms while the body was withheld`)),
      waitMs,
    );
    socket.on('data', (chunk) => {
      received += chunk.toString();
      const end = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(received)?.[1];
      if (end >= 0 && length && received.length >= end + 4 + Number(length)) {
        clearTimeout(timer);
        resolve({
          status: Number(received.slice(9, 12)),
          head: received.slice(0, end),
          body: received.slice(end + 4, end + 4 + Number(length)),
        });
      }
    });
    socket.on('error', () => {});
  });
  return { socket, answer };
}

const signed = (body: Buffer, timestamp = Date.now()) =>
  signHeapHash({ rawBody: body, secret: TEST_SECRET, timestamp });

let server: TestServer;
test.before(async () => {
  server = await startTestServer();
});
test.after.always(() => server?.close());

const withheld: [string, Record<string, string>, string][] = [
  ['no Heap-Hash header', {}, 'missing_header'],
  ['a malformed Heap-Hash', { 'heap-hash': 'nonsense' }, 'malformed_header'],
  ['a timestamp that is not milliseconds', { 'heap-hash': 'ts:12ab,hmac:x' }, 'bad_timestamp'],
  [
    'a stale timestamp',
    { 'heap-hash': signed(Buffer.from('{}'), Date.now() - 3_600_000) },
    'stale_timestamp',
  ],
  [
    'a timestamp far in the future',
    { 'heap-hash': signed(Buffer.from('{}'), Date.now() + 3_600_000) },
    'future_timestamp',
  ],
  [
    'an hmac that is not 32 bytes',
    { 'heap-hash': `ts:${Date.now()},hmac:c2hvcnQ=` },
    'signature_mismatch',
  ],
];

for (const [name, headers, want] of withheld) {
  test(`${name}: 403 ${want} before any of a 10 MB body is sent`, async (t) => {
    const upload = startUpload(server, {
      'content-type': 'application/json',
      'content-length': String(10 * 1024 * 1024),
      ...headers,
    });
    t.teardown(() => void upload.socket.destroy());
    const answer = await upload.answer;
    t.is(answer.status, 403);
    t.is((JSON.parse(answer.body) as { error: string }).error, want);
    t.regex(answer.head, /connection: close/i);
  });
}

test('a body that does not arrive in time gets 408 and frees the socket', async (t) => {
  const slow = await startTestServer({ bodyReadTimeoutMs: 1_000 });
  t.teardown(() => slow.close());
  const body = bodyBytes(
    syncPagePayload({
      idToken: 'tok',
      segment: { id: 1, name: 'One' },
      syncTaskId: 'task',
      pageNumber: 1,
      totalPages: 1,
      add: ['a@x.io'],
      remove: [],
    }),
  );
  const upload = startUpload(
    slow,
    {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'heap-hash': signed(body),
    },
    body.subarray(0, 10),
  );
  t.teardown(() => void upload.socket.destroy());
  const answer = await upload.answer;
  t.is(answer.status, 408);
  t.is((JSON.parse(answer.body) as { error: string }).error, 'body_timeout');
  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 5_000);
    upload.socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  t.true(closed, 'the server closed the connection');
});

test('headers that never finish get 408 and the connection is closed', async (t) => {
  const slow = await startTestServer({ headersTimeoutMs: 1_000 });
  t.teardown(() => slow.close());
  const { hostname, port } = new URL(slow.url);
  const socket = net.connect(Number(port), hostname);
  t.teardown(() => void socket.destroy());
  socket.write(
    `POST /users_sync HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\n`,
  );
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => {});
  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 8_000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  t.true(closed, 'the server closed a connection whose headers never ended');
  t.regex(received, /^HTTP\/1\.1 408/);
});

test('beyond the in-flight body budget a delivery gets 503 with Retry-After, and the budget comes back', async (t) => {
  const small = await startTestServer({
    bodyLimitBytes: 64 * 1024,
    maxInflightBodyBytes: 64 * 1024,
  });
  t.teardown(() => small.close());
  const page = (id: number, users: number) =>
    bodyBytes(
      syncPagePayload({
        idToken: 'tok',
        segment: { id, name: 'Budget' },
        syncTaskId: `task-${id}`,
        pageNumber: 1,
        totalPages: 1,
        add: Array.from({ length: users }, (_, i) => `user-${i}@example.org`),
        remove: [],
      }),
    );
  const big = page(1, 1_700);
  const second = page(2, 800);
  // Either fits alone; together they exceed the budget.
  t.true(big.length < 64 * 1024 && big.length + second.length > 64 * 1024);
  // Everything but the last byte: the server holds it while waiting for the rest.
  const holder = startUpload(
    small,
    {
      'content-type': 'application/json',
      'content-length': String(big.length),
      'heap-hash': signed(big),
    },
    big.subarray(0, big.length - 1),
  );
  t.teardown(() => void holder.socket.destroy());
  let refused: Awaited<ReturnType<typeof postDelivery>> | undefined;
  // The held bytes reach the server a moment after they were written.
  for (let attempt = 0; attempt < 50 && refused === undefined; attempt++) {
    const exchange = await postDelivery({
      url: `${small.url}/users_sync`,
      body: second,
      headers: { 'content-type': 'application/json', 'heap-hash': signed(second) },
    });
    if (exchange.ok && exchange.status === 503) refused = exchange;
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.truthy(refused, 'a delivery was refused while the budget was held');
  if (refused?.ok) {
    t.is(refused.responseHeaders['retry-after'], '5');
    t.is((JSON.parse(refused.responseBody) as { error: string }).error, 'server_busy');
  }
  holder.socket.destroy();
  const third = page(3, 800);
  let applied = 0;
  for (let attempt = 0; attempt < 50 && applied !== 200; attempt++) {
    const exchange = await postDelivery({
      url: `${small.url}/users_sync`,
      body: third,
      headers: { 'content-type': 'application/json', 'heap-hash': signed(third) },
    });
    applied = exchange.ok ? exchange.status : 0;
    if (applied !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.is(applied, 200, 'the budget is given back when the holder goes away');
});

test('configuration: the body limits are settings, and the budget holds at least one body', (t) => {
  const defaults = parseServerConfig({});
  t.true(defaults.ok);
  if (defaults.ok) {
    t.is(defaults.config.bodyReadTimeoutMs, 60_000);
    t.is(defaults.config.maxInflightBodyBytes, 64 * 1024 ** 2);
  }
  const set = parseServerConfig({ MAX_INFLIGHT_BODY_BYTES: '256mb', BODY_READ_TIMEOUT_MS: '5000' });
  t.true(set.ok && set.config.maxInflightBodyBytes === 256 * 1024 ** 2);
  t.true(set.ok && set.config.bodyReadTimeoutMs === 5000);
  const tooSmall = parseServerConfig({ BODY_LIMIT: '16mb', MAX_INFLIGHT_BODY_BYTES: '1mb' });
  t.false(tooSmall.ok);
  if (!tooSmall.ok) t.regex(tooSmall.error, /MAX_INFLIGHT_BODY_BYTES must be at least BODY_LIMIT/);
  const badTimeout = parseServerConfig({ BODY_READ_TIMEOUT_MS: 'soon' });
  t.false(badTimeout.ok);
  if (!badTimeout.ok) t.regex(badTimeout.error, /^BODY_READ_TIMEOUT_MS must be a whole number/);
});
