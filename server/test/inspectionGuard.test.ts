// The inspection API's guard holds for every spelling of its paths that could reach a route.
import test from 'ava';
import http from 'node:http';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from './helpers/testServer.ts';
import { bodyBytes, signHeapHash, syncPagePayload } from '../../spec/src/index.ts';
import { postDelivery } from '../../support/testing/postDelivery.ts';
import { TEST_SECRET } from './helpers/testServer.ts';

let enabled: TestServer;
let disabled: TestServer;

test.before(async () => {
  enabled = await startTestServer();
  disabled = await startTestServer({ adminToken: null });
  // Data to leak: one segment with one member in each server.
  for (const server of [enabled, disabled]) {
    const body = bodyBytes(
      syncPagePayload({
        idToken: 'tok',
        segment: { id: 7, name: 'Seven' },
        syncTaskId: 'task',
        pageNumber: 1,
        totalPages: 1,
        add: ['secret-member@x.io'],
        remove: [],
      }),
    );
    const response = await postDelivery({
      url: `${server.url}/users_sync`,
      body,
      headers: {
        'content-type': 'application/json',
        'heap-hash': signHeapHash({ rawBody: body, secret: TEST_SECRET, timestamp: Date.now() }),
      },
    });
    if (!response.ok || response.status !== 200) throw new Error('setup delivery was not applied');
  }
});
test.after.always(async () => {
  await enabled?.close();
  await disabled?.close();
});

/** Sends the path exactly as written (fetch would normalise some spellings). */
function get(
  base: string,
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path: rawPath, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

const spellings = [
  '/admin/segments',
  '/ADMIN/segments',
  '/Admin/connections',
  '/aDmIn/sync-tasks',
  '/admin/SEGMENTS',
  '/admin/segments/',
  '/ADMIN/segments/',
  '//admin/segments',
  '/admin//segments',
  '/%61dmin/segments',
  '/%41DMIN/segments',
  '/admin/%73egments',
  '/admin/segments%2F',
  '/admin/segments?id_token=tok',
  '/admin/segments/tok/7/members',
  '/ADMIN/Segments/tok/7/Members/',
  '/admin/segments/tok/7/members;x',
  '/admin/./segments',
  '/x/../admin/segments',
];

for (const spelling of spellings) {
  test(`without the token, ${spelling} gives no data`, async (t) => {
    const answer = await get(enabled.url, spelling);
    t.true([401, 404].includes(answer.status), `status ${answer.status}`);
    t.false(answer.body.includes('secret-member'));
    t.false(answer.body.includes('Seven'));
  });

  test(`with ADMIN_TOKEN unset, ${spelling} is 404 even with a token`, async (t) => {
    const answer = await get(disabled.url, spelling, {
      authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
    });
    t.is(answer.status, 404);
    t.false(answer.body.includes('secret-member'));
    t.false(answer.body.includes('Seven'));
  });
}

test('with the token, the case-insensitive spellings the router serves still answer', async (t) => {
  const answer = await get(enabled.url, '/ADMIN/segments/', {
    authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
  });
  t.is(answer.status, 200);
  t.regex(answer.body, /Seven/);
});
