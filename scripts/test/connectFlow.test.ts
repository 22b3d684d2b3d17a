// End to end, as a partner runs it: `npm run mock:heap` (a real Prism process behind it) and
// `npm run server` as child processes, and a browser walking the whole OAuth dance.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SERVER_LISTENING } from '../../server/src/index.ts';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl } from '../../support/src/spawnListening.ts';
import { TestBrowser } from '../../support/testing/testBrowser.ts';

test('connect page -> Heap authorize -> redirect -> token -> metadata -> stored connection', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'connect-flow-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const [serverPort, heapPort] = [await freePort(), await freePort()];
  const adminToken = 'connect-flow-admin-token';
  // Only ports differ from the development defaults the two share.
  const env = {
    PORT: String(serverPort),
    MOCK_HEAP_PORT: String(heapPort),
    HEAP_BASE_URL: `http://127.0.0.1:${heapPort}`,
  };
  const mock = await waitForUrl(
    runTypeScript(path.join(projectRoot, 'scripts/mock-heap.ts'), { cwd: dir, env }),
    /Mock Heap listening on (http:\/\/\S+)/,
    120_000,
  );
  t.teardown(() => void mock.child.kill('SIGTERM'));
  const server = await waitForUrl(
    runTypeScript(path.join(projectRoot, 'server/src/main.ts'), {
      cwd: dir,
      env: {
        ...env,
        ADMIN_TOKEN: adminToken,
        DATABASE_URL: `sqlite:${path.join(dir, 'partner.db')}`,
      },
    }),
    SERVER_LISTENING,
  );
  t.teardown(() => void server.child.kill('SIGTERM'));
  t.regex(mock.output(), /accepts client_id\s+dev-client-id/);

  const browser = new TestBrowser();
  const base = `http://localhost:${serverPort}`;
  const connectPage = await browser.go(`${base}/`);
  const action = /<form method="post" action="([^"]+)"/.exec(connectPage.body)?.[1];
  t.is(action, '/api/authorize');
  const result = await browser.follow(new URL(action!, base).toString(), {
    method: 'POST',
    form: {},
  });
  t.deepEqual(
    browser.hops.map(
      (hop) =>
        `${new URL(hop.url).port === String(heapPort) ? 'heap' : 'partner'} ${new URL(hop.url).pathname} ${hop.status}`,
    ),
    [
      'partner / 200',
      'partner /api/authorize 302',
      'heap /api/partner/oauth/authorize 302',
      'partner /api/oauth_redirect 303',
      'partner /api/oauth_redirect/connected 200',
    ],
  );
  t.regex(result.body, /Heap connected/);
  // The next steps: back to the mock's Developer Hub, and a sample sync for the new account.
  t.regex(
    result.body,
    new RegExp(`<a href="http://127\\.0\\.0\\.1:${heapPort}/hub">Back to the Developer Hub</a>`),
  );
  t.regex(result.body, /Send a sample sync: <code>npm run send -- sync<\/code>/);

  const connections = (await (
    await fetch(`${server.url}/admin/connections`, {
      headers: { authorization: `Bearer ${adminToken}` },
    })
  ).json()) as { connections: { id_token: string; env_id: string }[] };
  t.deepEqual(
    connections.connections.map((c) => c.env_id),
    ['2544353'],
  );
  // The id_token stays on the server: the page names the environment, not the account's token.
  t.regex(connections.connections[0]!.id_token, /^[0-9a-f-]{36}$/);
  t.false(result.body.includes(connections.connections[0]!.id_token));
  t.regex(mock.output(), /POST \/api\/partner\/oauth\/token -> 200/);
  t.regex(mock.output(), /GET \/api\/partner\/v1\/metadata\/[\w-]+ -> 200/);
});
