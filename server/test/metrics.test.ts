// GET /metrics: the counts after a known mix of deliveries, on the SQLite and PostgreSQL stores;
// behind the inspection API's token, and absent (nothing recorded) while that API is off.
import test, { type ExecutionContext } from 'ava';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  bodyBytes,
  DEFAULT_TOLERANCE,
  drainPayload,
  signHeapHash,
  syncPagePayload,
} from '../../spec/src/index.ts';
import { postDelivery } from '../../support/testing/postDelivery.ts';
import { createLogger } from '../src/log/createLogger.ts';
import { ServerMetrics } from '../src/metrics/serverMetrics.ts';
import { startServer } from '../src/startServer.ts';
import { openStore } from '../src/store/openStore.ts';
import { startServerProcess } from './helpers/serverProcess.ts';
import { parsePrometheusText, samplesOf, type Sample } from './helpers/prometheusText.ts';
import { startTestServer, TEST_ADMIN_TOKEN, TEST_SECRET } from './helpers/testServer.ts';
import {
  createTestDatabase,
  POSTGRES_SKIP_NOTICE,
  postgresAvailable,
} from './store/testDatabase.ts';

const INFLIGHT_LIMIT = 32 * 1024 * 1024;
/** An action type the contract does not know, with text that must never become a label. */
const UNKNOWN_ACTION = 'segment.users.rename "<b>\n';
const RAW_PATH = '/no-such-page-3f9a';
const segment = { id: 41, name: 'Metrics' };

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

async function deliver(url: string, body: Buffer, secret = TEST_SECRET): Promise<number> {
  const answer = await postDelivery({
    url,
    body,
    headers: {
      'content-type': 'application/json',
      'heap-hash': signHeapHash({ rawBody: body, secret, timestamp: Date.now() }),
    },
  });
  if (!answer.ok) throw new Error(answer.message);
  return answer.status;
}

async function scrape(base: string): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(`${base}/metrics`, { headers: auth });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  return { text, samples: parsePrometheusText(text) };
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) => {
  const found = samplesOf(samples, name, labels);
  if (found.length !== 1)
    throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]!.value;
};

/** Sends one of each kind of delivery and checks every count /metrics then reports. */
async function assertCounts(t: ExecutionContext, base: string): Promise<void> {
  const page = bodyBytes(
    syncPagePayload({
      idToken: 'tok',
      segment,
      syncTaskId: 'task-1',
      pageNumber: 1,
      totalPages: 1,
      add: ['alice', 'bob'],
    }),
  );
  const drain = bodyBytes(drainPayload({ idToken: 'tok', segment }));
  const unknown = bodyBytes({ action_type: UNKNOWN_ACTION, id_token: 'tok', data: {} });
  t.is(await deliver(`${base}/users_sync`, page), 200);
  t.is(await deliver(`${base}/users_sync`, page), 200, 'the same page again: a duplicate');
  t.is(await deliver(`${base}/users_sync`, page, 'not-the-secret'), 403, 'forged');
  t.is(await deliver(`${base}/users_drain`, drain), 200);
  t.is(await deliver(`${base}/webhooks/heap`, unknown), 200, 'ignored');
  t.is(await deliver(`${base}/users_sync`, drain), 405, 'a drain on the sync route');
  t.is((await fetch(`${base}${RAW_PATH}`)).status, 404);

  const { text, samples } = await scrape(base);
  const deliveries = samplesOf(samples, 'heap_deliveries_total').map(
    ({ labels, value: count }) => `${labels.action} ${labels.result} ${labels.status} = ${count}`,
  );
  t.deepEqual(deliveries.sort(), [
    'drain drained 200 = 1',
    'drain wrong_route 405 = 1',
    'other ignored 200 = 1',
    'sync applied 200 = 1',
    'sync duplicate 200 = 1',
    'unknown signature_mismatch 403 = 1',
  ]);
  const requests = samplesOf(samples, 'heap_http_request_duration_seconds_count').map(
    ({ labels, value: count }) => `${labels.method} ${labels.route} ${labels.status} = ${count}`,
  );
  t.deepEqual(requests.sort(), [
    'GET unmatched 404 = 1',
    'POST /users_drain 200 = 1',
    'POST /users_sync 200 = 2',
    'POST /users_sync 403 = 1',
    'POST /users_sync 405 = 1',
    'POST /webhooks/heap 200 = 1',
  ]);
  // Every request ended inside the last bucket (+Inf), and each bucket holds at least the one below.
  const buckets = samplesOf(samples, 'heap_http_request_duration_seconds_bucket', {
    route: '/users_sync',
    status: '200',
  });
  t.deepEqual(buckets.at(-1)?.labels.le, '+Inf');
  t.is(buckets.at(-1)?.value, 2);
  t.true(buckets.every((bucket, i) => i === 0 || bucket.value >= buckets[i - 1]!.value));
  // Written: the page, its duplicate (a redelivery is recorded), the drain, the ignored delivery.
  t.is(value(samples, 'heap_store_commit_duration_seconds_count'), 4);
  t.true(value(samples, 'heap_store_commit_duration_seconds_sum') > 0);
  // Every body was read whole, the forged one and the misrouted one too.
  t.is(value(samples, 'heap_request_body_bytes_count'), 6);
  t.is(
    value(samples, 'heap_request_body_bytes_sum'),
    page.length * 3 + drain.length * 2 + unknown.length,
  );
  t.is(value(samples, 'heap_inflight_body_bytes'), 0);
  t.is(value(samples, 'heap_inflight_body_limit_bytes'), INFLIGHT_LIMIT);
  t.false(text.includes('rename'), 'an unknown action type never becomes a label');
  t.false(text.includes(RAW_PATH), 'a raw path never becomes a label');

  // The scrape itself is counted once it has been answered.
  const again = await scrape(base);
  t.is(
    value(again.samples, 'heap_http_request_duration_seconds_count', {
      route: '/metrics',
      method: 'GET',
      status: '200',
    }),
    1,
  );
}

test('counts each kind of delivery, request and commit (SQLite)', async (t) => {
  const server = await startTestServer({ maxInflightBodyBytes: INFLIGHT_LIMIT });
  t.teardown(() => server.close());
  await assertCounts(t, server.url);
});

if (!postgresAvailable()) {
  test.skip(POSTGRES_SKIP_NOTICE, () => {});
} else {
  test('counts each kind of delivery, request and commit (PostgreSQL)', async (t) => {
    const databaseUrl = await createTestDatabase(t);
    const metrics = new ServerMetrics();
    const stores = await openStore(databaseUrl, { commitRecorder: metrics.storeCommits });
    if (!stores.ok) throw new Error(stores.error);
    // Registered after the database's teardown, so it runs first (ava runs teardowns in reverse).
    t.teardown(async () => {
      await stores.connections.close();
      await stores.oauthStates.close();
    });
    const server = await startServer({
      host: '127.0.0.1',
      port: 0,
      store: stores.segments,
      logger: createLogger('silent'),
      webhookSecrets: [TEST_SECRET],
      tolerance: DEFAULT_TOLERANCE,
      bodyLimitBytes: 1024 * 1024,
      maxInflightBodyBytes: INFLIGHT_LIMIT,
      unknownActions: 'accept',
      adminToken: TEST_ADMIN_TOKEN,
      metrics,
    });
    t.teardown(() => server.close());
    await assertCounts(t, server.url);
  });
}

test('a delivery the store cannot take is counted by its action and refusal', async (t) => {
  const server = await startTestServer();
  t.teardown(() => server.close());
  // Another connection holds the write lock: the store answers store_locked (503).
  const holder = new Database(server.dbFile);
  t.teardown(() => void holder.close());
  holder.exec('BEGIN IMMEDIATE');
  const page = bodyBytes(
    syncPagePayload({
      idToken: 'tok',
      segment,
      syncTaskId: 'task-1',
      pageNumber: 1,
      totalPages: 1,
      add: ['alice'],
    }),
  );
  t.is(await deliver(`${server.url}/webhooks/heap`, page), 503);
  holder.exec('ROLLBACK');
  const { samples } = await scrape(server.url);
  t.deepEqual(
    samplesOf(samples, 'heap_deliveries_total').map(({ labels, value: count }) => ({
      ...labels,
      count,
    })),
    [{ action: 'sync', result: 'store_locked', status: '503', count: 1 }],
  );
  t.is(value(samples, 'heap_store_commit_duration_seconds_count'), 0);
});

test('npm run server with ADMIN_TOKEN serves the process series too, every name prefixed', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'metrics-main-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const server = await startServerProcess({
    DATABASE_URL: `sqlite:${path.join(dir, 'partner.db')}`,
    WEBHOOK_SECRET: TEST_SECRET,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
  });
  t.teardown(() => void server.child.kill('SIGKILL'));
  const page = bodyBytes(
    syncPagePayload({
      idToken: 'tok',
      segment,
      syncTaskId: 'task-1',
      pageNumber: 1,
      totalPages: 1,
      add: ['alice'],
    }),
  );
  t.is(await deliver(`${server.url}/users_sync`, page), 200);
  const { samples } = await scrape(server.url);
  t.is(value(samples, 'heap_store_commit_duration_seconds_count'), 1, 'the store reports commits');
  t.true(value(samples, 'heap_process_resident_memory_bytes') > 0);
  t.true(samplesOf(samples, 'heap_nodejs_eventloop_lag_seconds').length === 1);
  t.deepEqual(
    samples.filter((sample) => !sample.name.startsWith('heap_')).map((sample) => sample.name),
    [],
  );
  server.child.kill('SIGTERM');
  t.is((await server.exited).code, 0);
});

test('without the right bearer token /metrics answers as the inspection API does', async (t) => {
  const server = await startTestServer();
  t.teardown(() => server.close());
  const tries: Record<string, string>[] = [
    {},
    { authorization: 'Bearer wrong-token-0123456789' },
    { authorization: TEST_ADMIN_TOKEN },
  ];
  for (const headers of tries) {
    for (const path of ['/metrics', '/METRICS', '/metrics/']) {
      const metrics = await fetch(`${server.url}${path}`, { headers });
      const inspection = await fetch(`${server.url}/admin/segments`, { headers });
      t.is(metrics.status, 401, `${path} ${JSON.stringify(headers)}`);
      t.is(metrics.headers.get('www-authenticate'), 'Bearer');
      t.deepEqual(await metrics.json(), await inspection.json());
    }
  }
  const { text } = await scrape(server.url);
  t.false(text.includes(TEST_ADMIN_TOKEN));
  const answer = await fetch(`${server.url}/metrics`, { headers: auth });
  t.is(answer.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  t.is(answer.headers.get('cache-control'), 'no-store');
});

test('with the inspection API off, /metrics answers 404 as it does and nothing is recorded', async (t) => {
  const metrics = new ServerMetrics();
  const server = await startTestServer({ adminToken: null, metrics });
  t.teardown(() => server.close());
  const page = bodyBytes(
    syncPagePayload({
      idToken: 'tok',
      segment,
      syncTaskId: 'task-1',
      pageNumber: 1,
      totalPages: 1,
      add: ['alice'],
    }),
  );
  t.is(await deliver(`${server.url}/users_sync`, page), 200);
  for (const headers of [{}, auth]) {
    const answer = await fetch(`${server.url}/metrics`, { headers });
    const inspection = await fetch(`${server.url}/admin/segments`, { headers });
    t.is(answer.status, 404);
    t.is(inspection.status, 404);
    const body = (await answer.json()) as { error: string };
    t.is(body.error, 'inspection_api_disabled');
    t.deepEqual(body, await inspection.json());
  }
  // The metrics the app was handed stay untouched: no middleware, no gauges.
  const samples = parsePrometheusText(await metrics.registry.metrics());
  t.deepEqual(samplesOf(samples, 'heap_deliveries_total'), []);
  t.deepEqual(samplesOf(samples, 'heap_http_request_duration_seconds_count'), []);
  t.is(value(samples, 'heap_request_body_bytes_count'), 0);
  t.deepEqual(samplesOf(samples, 'heap_inflight_body_bytes'), []);
});
