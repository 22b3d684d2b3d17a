// `npm run send` after "Connect Heap": without --id-token it sends as the account connected last in
// the mock Heap (read from its data directory); ID_TOKEN and --id-token take precedence.
import test from 'ava';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../support/testing/runCli.ts';
import { startScriptedSink } from '../../support/testing/scriptedSink.ts';
import { SAMPLE_ID_TOKEN } from '../send/sendOptions.ts';

const account = (idToken: string) => ({
  idToken,
  envId: '2544353',
  authorizedBy: 'pam@example.co',
  authorizedAt: '2026-01-01T00:00:00.000Z',
});

test('sends carry the id_token the mock Heap issued last, unless ID_TOKEN or --id-token says otherwise', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'send-account-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const sink = await startScriptedSink([{ status: 200 }]);
  t.teardown(() => sink.close());
  const sentIdTokens = async (args: string[], env: Record<string, string> = {}) => {
    const before = sink.requests.length;
    const run = await runCli('scripts/send.ts', ['sync', '--url', sink.url, ...args], {
      cwd: dir,
      env,
    });
    t.is(run.code, 0, run.stderr);
    return {
      stdout: run.stdout,
      idTokens: sink.requests
        .slice(before)
        .map((request) => (JSON.parse(request.body.toString()) as { id_token: string }).id_token),
    };
  };

  t.deepEqual((await sentIdTokens([])).idTokens, [SAMPLE_ID_TOKEN], 'no account connected yet');

  await mkdir(path.join(dir, 'data', 'mock-heap'), { recursive: true });
  await writeFile(
    path.join(dir, 'data', 'mock-heap', 'hub.json'),
    JSON.stringify({ accounts: [account('first-account'), account('latest-account')] }),
  );
  const connected = await sentIdTokens([]);
  t.deepEqual(connected.idTokens, ['latest-account']);
  t.regex(connected.stdout, /as account latest-account \(from mock Heap\)/);

  t.deepEqual((await sentIdTokens([], { ID_TOKEN: 'env-account' })).idTokens, ['env-account']);
  t.deepEqual((await sentIdTokens(['--id-token', 'flag-account'])).idTokens, ['flag-account']);

  // A data directory elsewhere is found through MOCK_HEAP_DATA_DIR.
  const elsewhere = path.join(dir, 'elsewhere');
  await mkdir(elsewhere);
  await writeFile(
    path.join(elsewhere, 'hub.json'),
    JSON.stringify({ accounts: [account('elsewhere-account')] }),
  );
  t.deepEqual((await sentIdTokens([], { MOCK_HEAP_DATA_DIR: elsewhere })).idTokens, [
    'elsewhere-account',
  ]);
});
