// `npm run mock:heap -- --tls`: a local CA made once in the data directory, HTTPS that an
// unmodified fetch trusts through NODE_EXTRA_CA_CERTS, and a TLS failure without it.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl } from '../../support/src/spawnListening.ts';
import { stopProcessGroup } from '../../support/testing/stopProcessGroup.ts';

/** A partner's client as plain Node: authorize, exchange the code, read metadata; prints statuses. */
const OAUTH_CLIENT = `
const base = process.argv[2];
const redirectUri = 'http://localhost:3000/api/oauth_redirect';
try {
  const authorize = await fetch(base + '/api/partner/oauth/authorize?' + new URLSearchParams({
    client_id: 'dev-client-id', state: 'tls-state', response_type: 'code', redirect_uri: redirectUri, scope: 'segment',
  }), { redirect: 'manual' });
  const code = new URL(authorize.headers.get('location')).searchParams.get('code');
  const token = await fetch(base + '/api/partner/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri,
      client_id: 'dev-client-id', client_secret: 'dev-client-secret' }),
  });
  const granted = await token.json();
  const metadata = await fetch(base + '/api/partner/v1/metadata/' + granted.id_token, {
    headers: { authorization: 'Bearer ' + granted.access_token },
  });
  console.log(JSON.stringify({ statuses: [authorize.status, token.status, metadata.status], metadata: await metadata.json() }));
} catch (error) {
  console.log(JSON.stringify({ error: error.cause?.code ?? error.message }));
  process.exitCode = 1;
}
`;

function runClient(
  file: string,
  url: string,
  env: Record<string, string>,
): Promise<{ code: number; output: Record<string, unknown> }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [file, url],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          output: JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>,
        });
      },
    );
  });
}

test('a client trusting the local CA completes the OAuth flow over HTTPS; one that does not fails TLS verification', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mock-heap-tls-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const dataDir = path.join(dir, 'mock-data');
  const start = async () => {
    const run = runTypeScript(path.join(projectRoot, 'scripts/mock-heap.ts'), {
      cwd: dir,
      args: ['--tls'],
      env: { MOCK_HEAP_PORT: String(await freePort()), MOCK_HEAP_DATA_DIR: dataDir },
      detached: true,
    });
    // The mock and the Prism process it starts are stopped together.
    t.teardown(() => stopProcessGroup(run));
    return waitForUrl(run, /Mock Heap listening on (https:\/\/\S+)/, 120_000);
  };
  const mock = await start();
  const caFile = path.join(dataDir, 'tls', 'ca.crt');
  t.regex(
    mock.output(),
    new RegExp(`NODE_EXTRA_CA_CERTS=${caFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  );
  t.regex(mock.output(), /\(created now\)/);

  const client = path.join(dir, 'oauthClient.mjs');
  await writeFile(client, OAUTH_CLIENT);
  const trusting = await runClient(client, mock.url, { NODE_EXTRA_CA_CERTS: caFile });
  t.is(trusting.code, 0, JSON.stringify(trusting.output));
  t.deepEqual(trusting.output.statuses, [302, 200, 200]);
  t.like(trusting.output.metadata, { authorized_scope: 'segment' });

  const untrusting = await runClient(client, mock.url, {});
  t.is(untrusting.code, 1);
  t.regex(String(untrusting.output.error), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|CERT/);

  // The CA is made once: a second start reuses it.
  const ca = await readFile(caFile, 'utf8');
  mock.child.kill('SIGTERM');
  await mock.exited;
  const again = await start();
  t.regex(again.output(), /\(created earlier\)/);
  t.is(await readFile(caFile, 'utf8'), ca);
  const reused = await runClient(client, again.url, { NODE_EXTRA_CA_CERTS: caFile });
  t.deepEqual(reused.output.statuses, [302, 200, 200]);
});
