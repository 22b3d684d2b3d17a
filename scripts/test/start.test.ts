// `npm start`: the mock Heap and the reference server together, wired, and stopped cleanly by Ctrl-C.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl } from '../../support/src/spawnListening.ts';

test('npm start runs both, prints what a partner needs, and SIGINT stops both', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const [port, mockPort] = [await freePort(), await freePort()];
  const sandbox = await waitForUrl(
    runTypeScript(path.join(projectRoot, 'scripts/start.ts'), {
      cwd: projectRoot,
      env: {
        PORT: String(port),
        MOCK_HEAP_PORT: String(mockPort),
        DATABASE_URL: `sqlite:${path.join(dir, 'sandbox.db')}`,
      },
    }),
    /Connect page:\s+(http:\/\/\S+)/,
    120_000,
  );
  t.teardown(() => void sandbox.child.kill('SIGKILL'));
  const output = sandbox.output();
  t.is(sandbox.url, `http://localhost:${port}/`);
  t.regex(output, new RegExp(`Webhooks:\\s+http://localhost:${port}/users_sync`));
  t.regex(output, /Webhook secret: dev-webhook-secret/);
  t.regex(output, /npm run send -- sync/);
  t.is((await fetch(`http://127.0.0.1:${port}/healthcheck`)).status, 200);
  const authorize = await fetch(`http://127.0.0.1:${port}/api/authorize`, { redirect: 'manual' });
  t.is(
    new URL(authorize.headers.get('location') ?? '').port,
    String(port),
    'moves to the redirect URI host first',
  );
  const heap = await fetch(
    `http://127.0.0.1:${mockPort}/api/partner/oauth/authorize?client_id=dev-client-id&state=s&response_type=code&scope=segment&redirect_uri=${encodeURIComponent(`http://localhost:${port}/api/oauth_redirect`)}`,
    { redirect: 'manual' },
  );
  t.is(heap.status, 302, 'the mock accepts the server dev credentials and redirect URI');

  sandbox.child.kill('SIGINT');
  t.deepEqual(await sandbox.exited, { code: 0, signal: null });
  t.regex(sandbox.output(), /Stopped\./);
  await t.throwsAsync(fetch(`http://127.0.0.1:${port}/healthcheck`));
  await t.throwsAsync(fetch(`http://127.0.0.1:${mockPort}/api/partner/oauth/authorize`));
});
