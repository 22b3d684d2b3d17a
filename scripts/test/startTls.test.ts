// `npm start -- --tls`: the mock Heap serves HTTPS and the server it starts trusts the local CA, so
// a browser that trusts it too walks the whole connect flow over HTTPS to Heap.
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl } from '../../support/src/spawnListening.ts';
import { stopProcessGroup } from '../../support/testing/stopProcessGroup.ts';

/** Runs the connect flow in a child process, so NODE_EXTRA_CA_CERTS applies to its connections. */
const CONNECT_FLOW = `
import { TestBrowser } from ${JSON.stringify(path.join(projectRoot, 'support/testing/testBrowser.ts'))};
const browser = new TestBrowser();
const base = process.argv[2];
try {
  const done = await browser.follow(base + '/api/authorize', { method: 'POST', form: {} });
  console.log(JSON.stringify({
    hops: browser.hops.map((hop) => new URL(hop.url).protocol + ' ' + new URL(hop.url).pathname + ' ' + hop.status),
    connected: /Heap connected/.test(done.body),
  }));
} catch (error) {
  console.log(JSON.stringify({ error: error.code ?? error.cause?.code ?? error.message }));
}
`;

test('npm start -- --tls: the connect flow reaches the mock over HTTPS and connects', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-tls-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const [port, mockPort] = [await freePort(), await freePort()];
  const sandboxRun = runTypeScript(path.join(projectRoot, 'scripts/start.ts'), {
    cwd: dir,
    args: ['--tls'],
    env: { PORT: String(port), MOCK_HEAP_PORT: String(mockPort) },
    detached: true,
  });
  t.teardown(() => stopProcessGroup(sandboxRun));
  const sandbox = await waitForUrl(sandboxRun, /Connect page:\s+(http:\/\/\S+)/, 120_000);
  const caFile = path.join(dir, 'data', 'mock-heap', 'tls', 'ca.crt');
  t.regex(
    sandbox.output(),
    new RegExp(`Developer Hub:\\s+https://127\\.0\\.0\\.1:${mockPort}/hub`),
  );
  t.true(sandbox.output().includes(`NODE_EXTRA_CA_CERTS=${caFile}`));

  const script = path.join(dir, 'connectFlow.mts');
  await writeFile(script, CONNECT_FLOW);
  const run = async (env: Record<string, string>) => {
    const child = runTypeScript(script, { cwd: dir, env, args: [`http://localhost:${port}`] });
    await child.exited;
    return JSON.parse(child.output().trim().split('\n').at(-1) ?? '{}') as {
      hops?: string[];
      connected?: boolean;
      error?: string;
    };
  };
  const trusting = await run({ NODE_EXTRA_CA_CERTS: caFile });
  t.deepEqual(trusting.hops, [
    'http: /api/authorize 302',
    'https: /api/partner/oauth/authorize 302',
    'http: /api/oauth_redirect 303',
    'http: /api/oauth_redirect/connected 200',
  ]);
  t.true(trusting.connected, 'the server exchanged the code with the HTTPS mock');

  const untrusting = await run({});
  t.regex(String(untrusting.error), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|CERT/);
});
