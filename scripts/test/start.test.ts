// `npm start`: the mock Heap and the reference server together, wired, and stopped cleanly by Ctrl-C.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl } from '../../support/src/spawnListening.ts';
import { stopProcessGroup } from '../../support/testing/stopProcessGroup.ts';

test('npm start runs both, prints what a partner needs, and SIGINT stops both', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const [port, mockPort] = [await freePort(), await freePort()];
  const sandboxRun = runTypeScript(path.join(projectRoot, 'scripts/start.ts'), {
    cwd: projectRoot,
    env: {
      PORT: String(port),
      MOCK_HEAP_PORT: String(mockPort),
      DATABASE_URL: `sqlite:${path.join(dir, 'sandbox.db')}`,
    },
    detached: true,
  });
  t.teardown(() => stopProcessGroup(sandboxRun));
  const sandbox = await waitForUrl(sandboxRun, /Connect page:\s+(http:\/\/\S+)/, 120_000);
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

for (const variable of ['PORT', 'MOCK_HEAP_PORT'] as const) {
  test(`a taken ${variable} is reported first and plainly, before anything starts`, async (t) => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const takenPort = (taken.address() as net.AddressInfo).port;
    const ports = { PORT: String(await freePort()), MOCK_HEAP_PORT: String(await freePort()) };
    ports[variable] = String(takenPort);
    const run = runTypeScript(path.join(projectRoot, 'scripts/start.ts'), {
      cwd: projectRoot,
      env: { ...ports, DATABASE_URL: 'sqlite::memory:' },
    });
    t.deepEqual(await run.exited, { code: 1, signal: null });
    const lines = run.output().trim().split('\n');
    t.is(lines.length, 1, run.output());
    t.regex(lines[0]!, new RegExp(`^start: port ${takenPort} is already in use`));
    t.regex(lines[0]!, new RegExp(`set ${variable} to a free port`));
  });
}

for (const [variable, value] of [
  ['PORT', 'abc'],
  ['MOCK_HEAP_PORT', 'abc'],
] as const) {
  test(`${variable}=${value} stops npm start with one line and exit 2, like every bad setting`, async (t) => {
    const run = runTypeScript(path.join(projectRoot, 'scripts/start.ts'), {
      cwd: projectRoot,
      env: {
        PORT: String(await freePort()),
        MOCK_HEAP_PORT: String(await freePort()),
        [variable]: value,
      },
    });
    t.deepEqual(await run.exited, { code: 2, signal: null });
    const output = run.output().trim();
    t.is(output.split('\n').length, 1, output);
    t.regex(output, new RegExp(`^start: configuration error: ${variable} must be`));
  });
}

test('in production every missing setting is listed in one message, before anything starts', async (t) => {
  const run = runTypeScript(path.join(projectRoot, 'scripts/start.ts'), {
    cwd: projectRoot,
    env: {
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      MOCK_HEAP_PORT: String(await freePort()),
    },
  });
  // 2, as for every bad setting or flag of every command.
  t.deepEqual(await run.exited, { code: 2, signal: null });
  const output = run.output().trim();
  t.is(output.split('\n').length, 1, output);
  t.regex(output, /^start: configuration error: 5 settings are missing or invalid: /);
  for (const name of [
    'WEBHOOK_SECRET',
    'CLIENT_ID',
    'CLIENT_SECRET',
    'TOKEN_ENCRYPTION_KEY',
    'COOKIE_SECRET',
  ]) {
    t.true(output.includes(`${name} is required`), name);
  }
});
