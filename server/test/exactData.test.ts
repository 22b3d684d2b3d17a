// Exact data end to end: ids JSON allows but UTF-8 text does not hold (lone surrogates, NUL) come
// back from the inspection API exactly as sent and never merge; counts are of distinct users.
import test from 'ava';
import { signedDelivery } from '../../spec/src/index.ts';
import { postDelivery } from '../../support/testing/postDelivery.ts';
import { startTestServer, TEST_ADMIN_TOKEN, TEST_SECRET } from './helpers/testServer.ts';

const idToken = 'exact-account';

async function deliver(url: string, json: string): Promise<unknown> {
  const exchange = await postDelivery(
    signedDelivery({
      url: `${url}/users_sync`,
      body: Buffer.from(json),
      secret: TEST_SECRET,
      timestamp: Date.now(),
    }),
  );
  if (!exchange.ok) throw new Error('delivery failed');
  return { status: exchange.status, body: JSON.parse(exchange.responseBody) as unknown };
}

/** A sync page written by hand, so the ids' JSON escapes reach the server byte for byte. */
const pageJson = (segmentId: number, addJson: string[]) =>
  `{"id_token":"${idToken}","action_type":"segment.users.sync","customer_config":{"fields":[]},` +
  `"data":{"segment":{"id":${segmentId},"name":"Exact"},"sync_info":{"page_number":1,` +
  `"total_pages":1,"sync_task_id":"exact-${segmentId}"},"remove":[],` +
  `"add":[${addJson.map((id) => `{"id":${id}}`).join(',')}]}}`;

async function inspect(url: string, path: string): Promise<unknown> {
  const response = await fetch(`${url}/admin${path}`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  return response.json();
}

test('lone surrogates and NUL in ids are kept exactly and distinct ids never merge', async (t) => {
  const server = await startTestServer();
  t.teardown(() => server.close());
  const ids = ['"\\ud800"', '"\\ud801"', '"\\udc00"', '"\\ufffd"', '"a\\u0000b"', '"a"'];
  t.like(await deliver(server.url, pageJson(1, ids)), {
    status: 200,
    body: { result: 'applied', added: 6, removed: 0 },
  });
  const listed = (await inspect(server.url, `/segments/${idToken}/1/members`)) as {
    members: string[];
  };
  t.deepEqual([...listed.members].sort(), ids.map((id) => JSON.parse(id) as string).sort());
  const segments = (await inspect(server.url, `/segments?id_token=${idToken}`)) as {
    segments: { member_count: number }[];
  };
  t.is(segments.segments[0]?.member_count, 6);
});

test('a page listing the same id 1,000 times adds one member', async (t) => {
  const server = await startTestServer();
  t.teardown(() => server.close());
  const same = Array.from({ length: 1000 }, () => '"same@example.com"');
  t.like(await deliver(server.url, pageJson(2, same)), {
    status: 200,
    body: { result: 'applied', added: 1, removed: 0 },
  });
  const tasks = (await inspect(server.url, '/sync-tasks')) as {
    sync_tasks: { pages: { added: number }[] }[];
  };
  t.is(tasks.sync_tasks[0]?.pages[0]?.added, 1);
});
