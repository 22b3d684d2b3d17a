// `npm start` with ADMIN_TOKEN: the banner leads with the Developer Hub and shows the inspection
// API, the conformance-with-inspection example of docs/certifying-an-endpoint.md passes against it
// verbatim (ports and report paths aside), and the mock's relayed log lines carry one prefix.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl } from '../../support/src/spawnListening.ts';
import { stopProcessGroup } from '../../support/testing/stopProcessGroup.ts';
import { runCli } from '../../support/testing/runCli.ts';

/**
 * The conformance command of docs/certifying-an-endpoint.md that uses the inspection API: the
 * variables it sets before `npm run conformance` and its arguments.
 */
async function documentedInspectionExample(): Promise<{
  env: Record<string, string>;
  args: string[];
}> {
  const page = path.join(projectRoot, 'docs/certifying-an-endpoint.md');
  const lines = (await readFile(page, 'utf8')).split('\n');
  for (const [start, line] of lines.entries()) {
    if (!line.includes('npm run conformance -- ')) continue;
    let end = start;
    while (lines[end]!.trimEnd().endsWith('\\')) end++;
    const command = lines
      .slice(start, end + 1)
      .map((part) => part.trim().replace(/\\$/, ''))
      .join(' ');
    if (!command.includes('--inspect-url')) continue;
    const [assignments = '', rest = ''] = command.split('npm run conformance --');
    const env = Object.fromEntries(
      assignments
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    );
    return { env, args: rest.trim().split(/\s+/) };
  }
  throw new Error('docs/certifying-an-endpoint.md has no conformance example with --inspect-url');
}

test('npm start honours ADMIN_TOKEN: the documented conformance example with inspection passes', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-inspection-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const [port, mockPort] = [await freePort(), await freePort()];
  const adminToken = 'sandbox-admin-token-0123456789';
  const sandboxRun = runTypeScript(path.join(projectRoot, 'scripts/start.ts'), {
    cwd: dir,
    env: {
      PORT: String(port),
      MOCK_HEAP_PORT: String(mockPort),
      ADMIN_TOKEN: adminToken,
      DATABASE_URL: `sqlite:${path.join(dir, 'sandbox.db')}`,
    },
    detached: true,
  });
  t.teardown(() => stopProcessGroup(sandboxRun));
  const sandbox = await waitForUrl(
    sandboxRun,
    /Send a sample sync:\s+(npm run send -- sync)/,
    120_000,
  );
  const banner = sandbox.output().slice(sandbox.output().indexOf('sandbox is running'));
  const bannerLines = banner.split('\n').filter((line) => line.startsWith('  '));
  t.regex(
    bannerLines[0]!,
    new RegExp(`^  Developer Hub:\\s+http://127\\.0\\.0\\.1:${mockPort}/hub`),
  );
  t.regex(banner, new RegExp(`Inspection API: http://localhost:${port}/admin`));
  t.false(banner.includes(adminToken), 'the banner names the token, never prints it');
  t.is((await fetch(`http://127.0.0.1:${mockPort}/hub`)).status, 200);

  const example = await documentedInspectionExample();
  const args = example.args.map((arg) =>
    arg
      .replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`)
      .replace(/^report\.(json|xml|html)$/, (name) => path.join(dir, name)),
  );
  const env = Object.fromEntries(
    Object.entries(example.env).map(([name, value]) => [
      name,
      value.replace('"$ADMIN_TOKEN"', adminToken),
    ]),
  );
  t.true(args.includes('--inspect-url'));
  t.is(
    env.INSPECT_TOKEN,
    adminToken,
    'the token travels in INSPECT_TOKEN, not on the command line',
  );
  const run = await runCli('conformance/src/cli.ts', args, { env, timeoutMs: 300_000 });
  t.is(run.code, 0, run.stdout.slice(-3000) + run.stderr);
  const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as {
    summary: { failed: number };
  };
  t.is(report.summary.failed, 0);

  // A request to the mock Heap shows up once, with a single prefix.
  await fetch(`http://127.0.0.1:${mockPort}/api/partner/oauth/authorize`, { redirect: 'manual' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.regex(sandbox.output(), /^\[mock-heap\] GET \/api\/partner\/oauth\/authorize -> \d{3}$/m);
  t.notRegex(sandbox.output(), /\[mock-heap\] \[mock-heap\]/);
});
